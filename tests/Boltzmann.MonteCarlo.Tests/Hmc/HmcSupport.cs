using Boltzmann.MonteCarlo.Hmc;
using Boltzmann.Physics.Actions;
using Boltzmann.Statistics;

namespace Boltzmann.MonteCarlo.Tests.Hmc;

/// <summary>Runs chains and collects per-configuration series for the exactness tests.</summary>
internal static class HmcSupport
{
    /// <summary>
    /// Runs <paramref name="chains"/> independent chains (burn-in, then <paramref name="trajectories"/> measured) and
    /// returns the per-chain series of <paramref name="measure"/>; the estimate averages the per-chain Gamma-method
    /// estimates (equal lengths), with the error of the mean of independent chains.
    /// </summary>
    public static Estimate Measure<TAction>(Func<long, TAction> actionFor, HmcOptions options, int chains, int burnIn, int trajectories,
        Func<long, double[]> initial, Func<TAction, ReadOnlySpan<double>, double> measure, ulong seed = 42)
        where TAction : IContinuousAction
    {
        var ensemble = HmcEnsemble<TAction>.Create(actionFor, options, seed, "hmc-test", chains, initial);
        ensemble.Run(burnIn);
        var series = new double[chains][];
        for (int c = 0; c < chains; c++) series[c] = new double[trajectories];
        int[] count = new int[chains];
        ensemble.Run(trajectories, (c, chain, _) => series[c][count[c]++] = measure(chain.ActionFunctional, chain.Positions));
        return Combine(series);
    }

    public static Estimate Combine(double[][] series) => IndependentChains.Mean(series);

    public static void AssertWithin(Estimate e, double exact, double sigmas, string what)
    {
        double dev = e.Deviation(exact);
        Assert.True(dev <= sigmas, $"{what}: {e} vs exact {exact:R} is {dev:F2} sigma off");
    }
}
