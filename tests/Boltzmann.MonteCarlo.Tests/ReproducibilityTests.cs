using Boltzmann.Physics.Sk;

namespace Boltzmann.MonteCarlo.Tests;

/// <summary>Bit-for-bit resume from checkpoints and independence from threads and scheduling.</summary>
public class ReproducibilityTests
{
    private static readonly SkInstance Instance = TestInstances.Sk(40, 8, fieldScale: 0.3);

    private static ParallelTemperingOptions Options(int dop = -1, ParallelScheme scheme = ParallelScheme.Auto, int chains = 2) =>
        new(TemperatureLadder.Geometric(0.3, 2.5, 7))
        {
            Chains = chains,
            Seed = 123,
            StageName = "tests/pt",
            LocalFieldRefreshInterval = 37, // refreshes fall inside both halves, not on the split
            MaxDegreeOfParallelism = dop,
            Scheme = scheme,
        };

    [Fact]
    public void SaveRestore_ContinuesBitForBit()
    {
        var straight = new ParallelTempering(Instance, Options());
        straight.Sweep(2_000);

        var first = new ParallelTempering(Instance, Options());
        first.Sweep(1_000);
        byte[] checkpoint = first.SaveState();
        var resumed = ParallelTempering.Restore(Instance, Options(), checkpoint);
        Assert.Equal(checkpoint, resumed.SaveState()); // restore reproduces the saved state exactly
        resumed.Sweep(1_000);

        AssertIdentical(straight, resumed);
    }

    [Fact]
    public void SaveRestore_AcrossDifferentThreadSettings_ContinuesBitForBit()
    {
        var straight = new ParallelTempering(Instance, Options(dop: 1));
        straight.Sweep(600);
        var first = new ParallelTempering(Instance, Options(dop: 2, scheme: ParallelScheme.ByWalker));
        first.Sweep(250);
        var resumed = ParallelTempering.Restore(Instance, Options(dop: 2, scheme: ParallelScheme.ByChain), first.SaveState());
        resumed.Sweep(350);
        AssertIdentical(straight, resumed);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Results_DoNotDependOnThreadCountOrSchedule(int chains)
    {
        var sequential = new ParallelTempering(Instance, Options(dop: 1, chains: chains));
        for (int t = 0; t < 300; t++) sequential.Sweep();

        var byChain = new ParallelTempering(Instance, Options(dop: 2, scheme: ParallelScheme.ByChain, chains: chains));
        byChain.Sweep(300);
        var byWalker = new ParallelTempering(Instance, Options(dop: 2, scheme: ParallelScheme.ByWalker, chains: chains));
        byWalker.Sweep(120);
        byWalker.Sweep(180);
        var auto = new ParallelTempering(Instance, Options(dop: 4, chains: chains));
        for (int t = 0; t < 3; t++) auto.Sweep(100);

        AssertIdentical(sequential, byChain);
        AssertIdentical(sequential, byWalker);
        AssertIdentical(sequential, auto);
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentRuns()
    {
        var a = new ParallelTempering(Instance, Options());
        var b = new ParallelTempering(Instance, Options() with { Seed = 124 });
        a.Sweep(10);
        b.Sweep(10);
        Assert.NotEqual(a.SaveState(), b.SaveState());
        Assert.NotEqual(a.WalkerRandomState(0, 0), b.WalkerRandomState(0, 0));
    }

    /// <summary>Every observable, configuration, random state and counter equal, and the serialised states byte-equal.</summary>
    internal static void AssertIdentical(ParallelTempering a, ParallelTempering b)
    {
        Assert.Equal(a.SweepsDone, b.SweepsDone);
        Assert.Equal(a.FlipAttempts, b.FlipAttempts);
        Assert.Equal(a.AcceptedFlips, b.AcceptedFlips);
        var sa = new sbyte[a.N];
        var sb = new sbyte[b.N];
        for (int c = 0; c < a.Chains; c++)
        {
            Assert.Equal(a.ExchangeRandomState(c), b.ExchangeRandomState(c));
            Assert.Equal(a.RoundTrips(c), b.RoundTrips(c));
            for (int k = 0; k < a.Slots; k++)
            {
                Assert.Equal(a.WalkerAt(c, k), b.WalkerAt(c, k));
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.Energy(c, k)), BitConverter.DoubleToInt64Bits(b.Energy(c, k)));
                Assert.Equal(a.MagnetisationSum(c, k), b.MagnetisationSum(c, k));
                Assert.Equal(a.AcceptedFlipsAt(c, k), b.AcceptedFlipsAt(c, k));
                Assert.Equal(a.WalkerRandomState(c, k), b.WalkerRandomState(c, k));
                a.CopyConfiguration(c, k, sa);
                b.CopyConfiguration(c, k, sb);
                Assert.Equal(sa, sb);
            }
            for (int k = 0; k + 1 < a.Slots; k++)
            {
                Assert.Equal(a.SwapAttempts(c, k), b.SwapAttempts(c, k));
                Assert.Equal(a.SwapAcceptances(c, k), b.SwapAcceptances(c, k));
            }
        }
        // The checkpoint bytes also cover the local fields bit for bit.
        Assert.Equal(a.SaveState(), b.SaveState());
    }
}
