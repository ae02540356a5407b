using Boltzmann.Data.Lattice;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Lattice.Phi4;

namespace Boltzmann.Stages.Nis.Training;

/// <summary>
/// The stored HMC configurations of one kappa of a phi4-hmc dataset, in chain order (chain 0's trajectory series,
/// then chain 1's, ...), as float64 rows of L*T values in site order x*T + t. With <c>augmentZ2</c> every
/// configuration is followed by its mirror -phi: p is Z2-invariant, so the interleaved set is again a (correlated)
/// sample of p, and it stays one even when the HMC chains do not tunnel between the two vacua.
/// <para><see cref="HmcSplit"/> selects independent halves: forward-KL flows train on <see cref="HmcSplit.Training"/>
/// (the first half of the chains; of the one chain's series if there is one) and the p-estimators of the evaluation use
/// <see cref="HmcSplit.HeldOut"/> (the other half): a flow evaluated on its own training data has q inflated on those
/// configurations, which biases F_p low and ŵ low (measured: ŵ = 1.07(1) at κ = 0.22, 0.37(5) at κ = 0.30 on 16 × 8).</para>
/// </summary>
public static class HmcConfigurations
{
    public static async Task<double[]> ReadAsync(UpstreamArtifact samples, double kappa, bool augmentZ2, CancellationToken cancellation,
                                                 HmcSplit split = HmcSplit.All)
    {
        var up = samples.Parameters<Phi4HmcParameters>();
        int n = up.L * up.T;
        var chains = new SortedDictionary<int, List<float[]>>();
        await foreach (var g in LatticeDatasetReader.ReadAsync(samples.PathOf(Phi4Dataset.Directory), includeField: true, cancellation))
        {
            var k = g.Column(Phi4Dataset.Kappa);
            for (int r = 0; r < g.Count; r++)
            {
                if (k[r] != kappa) continue;
                if (!chains.TryGetValue(g.Chain[r], out var list)) chains[g.Chain[r]] = list = [];
                list.Add(g.Configuration(r).ToArray());
            }
        }
        var selected = Select(chains.Values.ToList(), split);
        int count = selected.Sum(c => c.Count);
        if (count < 2) throw new StageInputException($"upstream \"{samples.Stage.Name}\" has {count} configuration(s) at kappa = {kappa}; need at least 2");
        var rows = new double[(augmentZ2 ? 2 : 1) * count * n];
        int o = 0;
        foreach (var chain in selected)
            foreach (var phi in chain)
            {
                for (int i = 0; i < n; i++) rows[o + i] = phi[i];
                o += n;
                if (!augmentZ2) continue;
                for (int i = 0; i < n; i++) rows[o + i] = -phi[i];
                o += n;
            }
        return rows;
    }

    /// <summary>The chains (or, for a single chain, the halves of its series) of <paramref name="split"/>.</summary>
    private static List<List<float[]>> Select(List<List<float[]>> chains, HmcSplit split)
    {
        if (split == HmcSplit.All) return chains;
        bool first = split == HmcSplit.Training;
        if (chains.Count >= 2)
        {
            int half = (chains.Count + 1) / 2;
            return first ? chains.Take(half).ToList() : chains.Skip(half).ToList();
        }
        var only = chains.Count == 1 ? chains[0] : [];
        int m = (only.Count + 1) / 2;
        return [first ? only.Take(m).ToList() : only.Skip(m).ToList()];
    }
}

/// <summary>Which HMC configurations a stage reads: all, the training half, or the held-out half (<see cref="HmcConfigurations"/>).</summary>
public enum HmcSplit { All, Training, HeldOut }
