using Boltzmann.Physics.Sk;
using Boltzmann.Physics.SpinGlass;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Pt;
using Boltzmann.Spins;
using Boltzmann.Statistics;

namespace Boltzmann.Stages.SkFlow.Evaluation;

/// <summary>
/// What the evaluation needs from an sk-pt dataset, read in one streaming pass: per (instance, ladder slot) the
/// mean and variance of the energy with blocked (jackknife) errors from every sample, and, for the slots whose
/// temperature some flow was trained at, an evenly thinned set of configurations of each chain (with energies)
/// for P(q), site magnetisations, triangles and the forward KL (x ~ p(x|s)).
/// </summary>
public sealed class PtReference
{
    private readonly Dictionary<(int Instance, int Slot), SlotData> _slots = [];

    public int N { get; }
    public int Chains { get; }
    public IReadOnlyList<double> Temperatures { get; }
    public int Stride { get; }

    private PtReference(int n, int chains, IReadOnlyList<double> temperatures, int stride)
    {
        N = n;
        Chains = chains;
        Temperatures = temperatures;
        Stride = stride;
    }

    /// <summary>Per-slot data: blocked energy sums and thinned packed configurations per chain.</summary>
    public sealed class SlotData(int blocks, int chains, bool keepSpins)
    {
        public readonly double[] BlockE = new double[blocks];
        public readonly double[] BlockE2 = new double[blocks];
        public readonly long[] BlockCount = new long[blocks];
        public readonly bool KeepSpins = keepSpins;
        public readonly List<byte[]>[] Spins = Enumerable.Range(0, chains).Select(_ => new List<byte[]>()).ToArray();
        public readonly List<double>[] Energies = Enumerable.Range(0, chains).Select(_ => new List<double>()).ToArray();
        public readonly List<long>[] Sweeps = Enumerable.Range(0, chains).Select(_ => new List<long>()).ToArray();
        public readonly long[] Seen = new long[chains];
    }

    /// <summary>Reads the dataset; keeps configurations of the slots in <paramref name="keepSlots"/>.</summary>
    public static async Task<PtReference> LoadAsync(UpstreamArtifact samples, Func<int, int, bool> keepSlots, int ptSamples, int blocks, StageContext ctx)
    {
        var pt = samples.Parameters<SkPtParameters>();
        var reader = await PtDataset.OpenAsync(samples, ctx.Cancellation);
        int n = reader.SpinCount;
        var temps = pt.Ladder.ToLadder().Temperatures.ToArray();
        int stride = Math.Max(1, (pt.Samples + ptSamples - 1) / ptSamples);
        var result = new PtReference(n, pt.Chains, temps, stride);
        int blockLength = Math.Max(1, pt.Samples / blocks);
        using var progress = ctx.Progress.Start($"{ctx.Name}: read PT samples", reader.RowCount, "rows");
        await foreach (var batch in reader.ReadAsync(PtColumns.Instance | PtColumns.Chain | PtColumns.Slot | PtColumns.Sweep | PtColumns.Energy,
                                                     includeSpins: true, ctx.Cancellation))
        {
            for (int r = 0; r < batch.Count; r++)
            {
                int i = batch.Instance[r], k = batch.Slot[r], c = batch.Chain[r];
                if (!result._slots.TryGetValue((i, k), out var d))
                {
                    d = new SlotData(blocks, pt.Chains, keepSlots(i, k));
                    result._slots[(i, k)] = d;
                }
                long index = d.Seen[c]++;
                int b = (int)Math.Min(blocks - 1, index / blockLength);
                d.BlockE[b] += batch.Energy[r];
                d.BlockE2[b] += batch.Energy[r] * batch.Energy[r];
                d.BlockCount[b]++;
                if (d.KeepSpins && index % stride == 0)
                {
                    d.Spins[c].Add(batch.PackedSpins(r).ToArray());
                    d.Energies[c].Add(batch.Energy[r]);
                    d.Sweeps[c].Add(batch.Sweep[r]);
                }
            }
            progress.Increment(batch.Count);
        }
        return result;
    }

    public SlotData? Slot(int instance, int slot) => _slots.GetValueOrDefault((instance, slot));

    /// <summary>The ladder slot of temperature <paramref name="t"/> (relative tolerance 1e-9), or -1.</summary>
    public int SlotOf(double t)
    {
        for (int k = 0; k < Temperatures.Count; k++)
            if (Math.Abs(Temperatures[k] - t) <= 1e-9 * Math.Max(1, t)) return k;
        return -1;
    }

    /// <summary>Mean and variance of the total energy at a slot, each with a delete-one-block jackknife error.</summary>
    public EnergyMoments Moments(int instance, int slot)
    {
        var d = _slots[(instance, slot)];
        int b = d.BlockE.Length;
        double se = d.BlockE.Sum(), se2 = d.BlockE2.Sum();
        long count = d.BlockCount.Sum();
        var meanLeave = new double[b];
        var varLeave = new double[b];
        for (int k = 0; k < b; k++)
        {
            long c = count - d.BlockCount[k];
            double m1 = (se - d.BlockE[k]) / c, m2 = (se2 - d.BlockE2[k]) / c;
            meanLeave[k] = m1;
            varLeave[k] = m2 - m1 * m1;
        }
        double mean = se / count, variance = se2 / count - mean * mean;
        return new EnergyMoments(1 / Temperatures[slot],
            new Estimate(mean, JackknifeError(meanLeave), double.NaN, double.NaN, count),
            new Estimate(variance, JackknifeError(varLeave), double.NaN, double.NaN, count));
    }

    /// <summary>All kept configurations of a slot (every chain, in chain order) unpacked row-major, with energies.</summary>
    public (sbyte[] Spins, double[] Energies) Configurations(int instance, int slot)
    {
        var d = _slots[(instance, slot)];
        int rows = d.Spins.Sum(l => l.Count);
        var spins = new sbyte[rows * N];
        var energies = new double[rows];
        int r = 0;
        for (int c = 0; c < d.Spins.Length; c++)
            for (int k = 0; k < d.Spins[c].Count; k++, r++)
            {
                SpinPacking.Unpack(d.Spins[c][k], spins.AsSpan(r * N, N));
                energies[r] = d.Energies[c][k];
            }
        return (spins, energies);
    }

    /// <summary>P_J(q) between chain 0 and chain 1 at the same sweep (independent replicas; never a configuration with itself).</summary>
    public OverlapDistribution Overlap(int instance, int slot, int blocks)
    {
        var d = _slots[(instance, slot)];
        if (Chains < 2) throw new StageInputException("P(q) from parallel tempering needs chains >= 2 (two independent replicas per temperature).");
        var h = new OverlapHistogram(N, d.Spins[0].Count);
        int m = Math.Min(d.Spins[0].Count, d.Spins[1].Count);
        for (int k = 0; k < m; k++)
            if (d.Sweeps[0][k] == d.Sweeps[1][k]) h.AddPacked(d.Spins[0][k], d.Spins[1][k]);
        return h.Result(blocks);
    }

    private static double JackknifeError(double[] leave)
    {
        int b = leave.Length;
        double m = leave.Average(), ss = 0;
        foreach (double v in leave) ss += (v - m) * (v - m);
        return Math.Sqrt((b - 1.0) / b * ss);
    }
}
