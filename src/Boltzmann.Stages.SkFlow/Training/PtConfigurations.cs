using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Pt;

namespace Boltzmann.Stages.SkFlow.Training;

/// <summary>
/// The spin configurations of one (instance, temperature) of an sk-pt dataset, split into a training set and a
/// held-out set. The split is by time, per chain: the last <c>holdout</c> fraction of each chain's samples is held
/// out, so held-out configurations are not neighbours in the Markov chain of training configurations (a random
/// split would leak correlated near-copies into the held-out set). Rows are unpacked to ±1 (row-major, N per row);
/// held-out rows are in (chain, sweep) order so their autocorrelation can be measured.
/// </summary>
public sealed record PtConfigurations(int N, sbyte[] Training, sbyte[] HeldOut)
{
    public int TrainingCount => Training.Length / N;

    public int HeldOutCount => HeldOut.Length / N;

    /// <summary>True when two temperatures are the same ladder point (relative 1e-9, as parameter validation uses).</summary>
    public static bool SameTemperature(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));

    public static async Task<PtConfigurations> ReadAsync(UpstreamArtifact samples, int instance, double temperature, double holdout,
                                                         CancellationToken cancellation)
    {
        var reader = await PtDataset.OpenAsync(samples, cancellation);
        int n = reader.SpinCount;
        var chains = new SortedDictionary<int, List<(long Sweep, sbyte[] Spins)>>();
        await foreach (var batch in reader.ReadAsync(PtColumns.Instance | PtColumns.Chain | PtColumns.Temperature | PtColumns.Sweep,
                                                     includeSpins: true, cancellation))
        {
            for (int r = 0; r < batch.Count; r++)
            {
                if (batch.Instance[r] != instance || !SameTemperature(batch.Temperature[r], temperature)) continue;
                var s = new sbyte[n];
                batch.UnpackSpins(r, s);
                if (!chains.TryGetValue(batch.Chain[r], out var list)) chains[batch.Chain[r]] = list = [];
                list.Add((batch.Sweep[r], s));
            }
        }
        if (chains.Count == 0)
            throw new StageInputException($"{samples.Directory}: the sk-pt dataset has no samples of instance {instance} at T = {temperature:R}");
        var training = new List<sbyte>();
        var heldOut = new List<sbyte>();
        foreach (var (_, list) in chains)
        {
            list.Sort((a, b) => a.Sweep.CompareTo(b.Sweep));
            int held = (int)Math.Floor(holdout * list.Count);
            for (int k = 0; k < list.Count; k++) (k < list.Count - held ? training : heldOut).AddRange(list[k].Spins);
        }
        return new PtConfigurations(n, training.ToArray(), heldOut.ToArray());
    }
}
