using Boltzmann.MonteCarlo;

namespace Boltzmann.Stages.Sk.Pt;

/// <summary>Per-instance sampler diagnostics, written to summary/instance-NNN.json at the end of an instance.</summary>
public sealed record PtInstanceSummary(
    int Instance,
    double[] Temperatures,
    long Sweeps,
    double[][] SwapAcceptance,
    long[][] SwapAttempts,
    long[] RoundTrips,
    double[][] FlipAcceptance)
{
    public static PtInstanceSummary Of(int instance, ParallelTempering pt)
    {
        var ts = Enumerable.Range(0, pt.Slots).Select(pt.Temperature).ToArray();
        var swap = new double[pt.Chains][];
        var attempts = new long[pt.Chains][];
        var flip = new double[pt.Chains][];
        for (int c = 0; c < pt.Chains; c++)
        {
            swap[c] = Enumerable.Range(0, pt.Slots - 1).Select(k => pt.SwapAcceptanceRate(c, k)).ToArray();
            attempts[c] = Enumerable.Range(0, pt.Slots - 1).Select(k => pt.SwapAttempts(c, k)).ToArray();
            flip[c] = Enumerable.Range(0, pt.Slots).Select(k => pt.FlipAcceptanceRate(c, k)).ToArray();
        }
        return new PtInstanceSummary(instance, ts, pt.SweepsDone, swap, attempts,
            Enumerable.Range(0, pt.Chains).Select(pt.RoundTrips).ToArray(), flip);
    }
}
