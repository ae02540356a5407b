using Boltzmann.Data.Lattice;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Lattice.Phi4;

namespace Boltzmann.Stages.Nis.Training;

/// <summary>
/// The stored HMC configurations of one kappa of a phi4-hmc dataset, in chain order (chain 0's trajectory series,
/// then chain 1's, ...), as float64 rows of L*T values in site order x*T + t. With <c>augmentZ2</c> every
/// configuration is followed by its mirror -phi: p is Z2-invariant, so the interleaved set is again a (correlated)
/// sample of p, and it stays one even when the HMC chains do not tunnel between the two vacua.
/// </summary>
public static class HmcConfigurations
{
    public static async Task<double[]> ReadAsync(UpstreamArtifact samples, double kappa, bool augmentZ2, CancellationToken cancellation)
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
        int count = chains.Values.Sum(c => c.Count);
        if (count < 2) throw new StageInputException($"upstream \"{samples.Stage.Name}\" has {count} configuration(s) at kappa = {kappa}; need at least 2");
        var rows = new double[(augmentZ2 ? 2 : 1) * count * n];
        int o = 0;
        foreach (var chain in chains.Values)
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
}
