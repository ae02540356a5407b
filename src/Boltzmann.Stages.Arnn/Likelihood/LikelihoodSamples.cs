using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Pt;

namespace Boltzmann.Stages.Arnn.Likelihood;

/// <summary>
/// The Monte Carlo configurations of one instance at one temperature, read from an <c>sk-pt</c> spin dataset and split
/// per chain in time order: the first (1 - holdout) of every chain's samples train, the last part is held out (so the
/// held-out samples are as far as possible from the training ones along the chain). Spins are row-major +-1.
/// </summary>
public sealed record LikelihoodSamples(int N, sbyte[] Training, sbyte[] Holdout, int Chains)
{
    /// <summary>Training configurations.</summary>
    public int TrainingCount => Training.Length / N;

    /// <summary>Held-out configurations.</summary>
    public int HoldoutCount => Holdout.Length / N;

    /// <summary>Relative tolerance when matching the requested beta with the dataset's beta column.</summary>
    public const double BetaTolerance = 1e-9;

    /// <summary>Rows of the split for <paramref name="perChain"/> samples per chain: the held-out count per chain.</summary>
    public static int HoldoutPerChain(int perChain, double holdout) => (int)Math.Ceiling(perChain * holdout);

    /// <summary>Reads the rows of <paramref name="instance"/> at inverse temperature <paramref name="beta"/> and splits them.</summary>
    public static async Task<LikelihoodSamples> ReadAsync(UpstreamArtifact samples, int instance, double beta, double holdout, CancellationToken ct)
    {
        var reader = await PtDataset.OpenAsync(samples, ct);
        int n = reader.SpinCount;
        var perChain = new SortedDictionary<int, List<sbyte[]>>();
        var betas = new SortedSet<double>();
        await foreach (var batch in reader.ReadAsync(PtColumns.Instance | PtColumns.Chain | PtColumns.Beta, includeSpins: true, ct))
        {
            for (int r = 0; r < batch.Count; r++)
            {
                if (batch.Instance[r] != instance) continue;
                betas.Add(batch.Beta[r]);
                if (Math.Abs(batch.Beta[r] - beta) > BetaTolerance * beta) continue;
                var spins = new sbyte[n];
                batch.UnpackSpins(r, spins);
                if (!perChain.TryGetValue(batch.Chain[r], out var list)) perChain[batch.Chain[r]] = list = [];
                list.Add(spins);
            }
        }
        if (perChain.Count == 0)
            throw new StageInputException(
                $"{reader.Path}: no samples of instance {instance} at beta = {beta:R}" +
                (betas.Count == 0 ? $" (the dataset has no rows of instance {instance})" : $" (its betas: {string.Join(", ", betas.Select(x => x.ToString("R")))})"));

        var training = new List<sbyte>();
        var held = new List<sbyte>();
        foreach (var (c, rows) in perChain)
        {
            int h = HoldoutPerChain(rows.Count, holdout);
            if (h < 1 || h >= rows.Count)
                throw new StageInputException($"{reader.Path}: chain {c} has {rows.Count} samples; a held-out fraction {holdout:R} leaves {rows.Count - h} for training and {h} held out");
            for (int k = 0; k < rows.Count; k++) (k < rows.Count - h ? training : held).AddRange(rows[k]);
        }
        return new LikelihoodSamples(n, training.ToArray(), held.ToArray(), perChain.Count);
    }
}
