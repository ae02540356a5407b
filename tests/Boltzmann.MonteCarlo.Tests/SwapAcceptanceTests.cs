using Boltzmann.Statistics;
using Xunit.Abstractions;

namespace Boltzmann.MonteCarlo.Tests;

/// <summary>Exchange moves: acceptance probability against exact enumeration; equal temperatures always swap.</summary>
public class SwapAcceptanceTests(ITestOutputHelper output)
{
    [Fact]
    public void SwapAcceptance_MatchesExactDoubleSumOverStates()
    {
        // In equilibrium the two slots hold independent configurations from pi_1 and pi_2, so the mean
        // acceptance is sum_{x,y} pi1(x) pi2(y) min(1, exp[(beta1 - beta2)(E(x) - E(y))]). A wrong sign in
        // the exchange rule gives a different number (and a wrong distribution).
        const int n = 10, sweeps = 100_000;
        var sk = TestInstances.Sk(n, 77);
        var exact = new BruteForceSk(sk);
        var ladder = TemperatureLadder.Explicit([0.6, 1.0]);
        var pt = new ParallelTempering(sk, new ParallelTemperingOptions(ladder) { Seed = 5, Chains = 2 });
        pt.Sweep(1_000);
        var series = new List<double>();
        for (int t = 0; t < sweeps; t++)
        {
            long a0 = pt.SwapAcceptances(0, 0), a1 = pt.SwapAcceptances(1, 0);
            long n0 = pt.SwapAttempts(0, 0);
            pt.Sweep();
            if (pt.SwapAttempts(0, 0) == n0) continue; // R = 2: the pair is tried on every other sweep
            series.Add(0.5 * ((pt.SwapAcceptances(0, 0) - a0) + (pt.SwapAcceptances(1, 0) - a1)));
        }
        Assert.Equal(sweeps / 2, series.Count);
        var est = IntegratedAutocorrelation.Estimate(series.ToArray());
        double expected = exact.SwapAcceptance(1 / 0.6, 1 / 1.0);
        output.WriteLine($"swap acceptance {est} vs exact {expected:G6} ({est.Deviation(expected):F2} sigma)");
        Assert.True(est.StdError < 0.01, $"error {est.StdError} too large to test anything");
        Assert.True(est.Deviation(expected) <= 4, $"swap acceptance {est} vs exact {expected}: {est.Deviation(expected):F2} sigma");
        // The sampler's own rate counter agrees with the series (same events counted).
        double rate = (pt.SwapAcceptanceRate(0, 0) + pt.SwapAcceptanceRate(1, 0)) / 2;
        Assert.InRange(rate, expected - 0.02, expected + 0.02);
    }

    [Fact]
    public void RepeatedTemperatureLadder_AcceptsEverySwap_AndWalkersMoveAsPredicted()
    {
        const int r = 5, sweeps = 203;
        var sk = TestInstances.Sk(24, 3);
        var pt = new ParallelTempering(sk, new ParallelTemperingOptions(TemperatureLadder.Repeated(0.8, r)) { Seed = 9, Chains = 2 });

        // Independent model of the deterministic even-odd scheme when every swap is accepted.
        var slotWalker = Enumerable.Range(0, r).ToArray();
        var label = new int[r];
        label[0] = 1;
        long trips = 0;
        for (int t = 1; t <= sweeps; t++)
        {
            pt.Sweep();
            for (int k = (t - 1) % 2; k + 1 < r; k += 2) (slotWalker[k], slotWalker[k + 1]) = (slotWalker[k + 1], slotWalker[k]);
            if (label[slotWalker[0]] == -1) trips++;
            label[slotWalker[0]] = 1;
            if (label[slotWalker[r - 1]] == 1) label[slotWalker[r - 1]] = -1;
            for (int c = 0; c < 2; c++)
                for (int k = 0; k < r; k++) Assert.Equal(slotWalker[k], pt.WalkerAt(c, k));
        }
        for (int c = 0; c < 2; c++)
        {
            for (int k = 0; k + 1 < r; k++)
            {
                Assert.True(pt.SwapAttempts(c, k) > 0);
                Assert.Equal(pt.SwapAttempts(c, k), pt.SwapAcceptances(c, k));
                Assert.Equal(1.0, pt.SwapAcceptanceRate(c, k));
            }
            Assert.True(trips > 10);
            Assert.Equal(trips, pt.RoundTrips(c));
        }
    }

    [Fact]
    public void RoundTrips_AgreeWithCountFromObservedWalkerPositions()
    {
        const int r = 6, sweeps = 20_000;
        var sk = TestInstances.Sk(16, 21);
        var pt = new ParallelTempering(sk, new ParallelTemperingOptions(TemperatureLadder.Geometric(0.4, 2.0, r)) { Seed = 4, Chains = 2 });
        // Observe which walker is at the two ends after every sweep and count bottom -> top -> bottom.
        var visitedTopSinceBottom = new bool[2, r];
        var startedAtBottom = new bool[2, r];
        var trips = new long[2];
        for (int c = 0; c < 2; c++) startedAtBottom[c, pt.WalkerAt(c, 0)] = true;
        for (int t = 0; t < sweeps; t++)
        {
            pt.Sweep();
            for (int c = 0; c < 2; c++)
            {
                int bottom = pt.WalkerAt(c, 0), top = pt.WalkerAt(c, r - 1);
                if (startedAtBottom[c, bottom] && visitedTopSinceBottom[c, bottom]) trips[c]++;
                startedAtBottom[c, bottom] = true;
                visitedTopSinceBottom[c, bottom] = false;
                if (startedAtBottom[c, top]) visitedTopSinceBottom[c, top] = true;
            }
        }
        output.WriteLine($"round trips: {pt.RoundTrips(0)}, {pt.RoundTrips(1)} in {sweeps} sweeps");
        for (int c = 0; c < 2; c++)
        {
            Assert.True(trips[c] > 20, $"chain {c}: only {trips[c]} round trips, the ladder does not mix");
            Assert.Equal(trips[c], pt.RoundTrips(c));
        }
    }
}
