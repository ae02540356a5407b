using Boltzmann.Physics.Sk;

namespace Boltzmann.MonteCarlo.Tests;

/// <summary>Tracked energies and magnetisations against SkInstance.Energy and a direct sum of the spins.</summary>
public class EnergyBookkeepingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(64, 0.0)]
    [InlineData(61, 0.5)] // N not a multiple of the SIMD padding, with external fields
    public void TrackedEnergy_MatchesInstanceEnergy_BetweenAndAfterRefreshes(int n, double fieldScale)
    {
        var sk = TestInstances.Sk(n, 31, fieldScale);
        var options = new ParallelTemperingOptions(TemperatureLadder.Geometric(0.2, 3.0, 6)) { Seed = 2, LocalFieldRefreshInterval = 1_000 };
        var pt = new ParallelTempering(sk, options);
        AssertEnergies(pt, sk, relative: 1e-12); // initial energies come from a refresh

        pt.Sweep(999); // 999 sweeps of incremental updates, no refresh yet
        Assert.True(pt.AcceptedFlips > 100_000);
        double drift = AssertEnergies(pt, sk, relative: 1e-9);
        output.WriteLine($"N={n}: worst relative energy drift after 999 sweeps without refresh: {drift:G3}");

        pt.Sweep(1); // sweep 1000 ends with a refresh
        AssertEnergies(pt, sk, relative: 1e-12);
    }

    private static double AssertEnergies(ParallelTempering pt, SkInstance sk, double relative)
    {
        var s = new sbyte[sk.N];
        double worst = 0;
        for (int c = 0; c < pt.Chains; c++)
            for (int k = 0; k < pt.Slots; k++)
            {
                pt.CopyConfiguration(c, k, s);
                double exact = sk.Energy(s);
                double tracked = pt.Energy(c, k);
                double dev = Math.Abs(tracked - exact) / Math.Max(1.0, Math.Abs(exact));
                worst = Math.Max(worst, dev);
                Assert.True(dev <= relative, $"chain {c} slot {k}: tracked energy {tracked:R} vs SkInstance.Energy {exact:R} (relative {dev:G3} > {relative:G1})");
                int m = 0;
                foreach (sbyte x in s) m += x;
                Assert.Equal(m, pt.MagnetisationSum(c, k));
                Assert.Equal((double)m / sk.N, pt.Magnetisation(c, k));
            }
        return worst;
    }

    [Fact]
    public void PackedConfiguration_MatchesUnpackedCopy()
    {
        var sk = TestInstances.Sk(21, 4);
        var pt = new ParallelTempering(sk, new ParallelTemperingOptions(TemperatureLadder.Geometric(0.5, 2, 3)) { Seed = 1 });
        pt.Sweep(17);
        var s = new sbyte[21];
        var packed = new byte[pt.PackedLength];
        Assert.Equal(3, pt.PackedLength);
        for (int c = 0; c < 2; c++)
            for (int k = 0; k < 3; k++)
            {
                pt.CopyConfiguration(c, k, s);
                pt.CopyPackedConfiguration(c, k, packed);
                for (int i = 0; i < 21; i++) Assert.Equal(s[i] == -1, ((packed[i / 8] >> (i % 8)) & 1) == 1);
                Assert.Equal(0, packed[2] >> 5); // unused high bits stay clear
            }
    }

    [Fact]
    public void Overlap_IsTheNormalisedDotProductOfTwoChains()
    {
        var sk = TestInstances.Sk(30, 5);
        var pt = new ParallelTempering(sk, new ParallelTemperingOptions(TemperatureLadder.Geometric(0.5, 2, 4)) { Seed = 3, Chains = 3 });
        pt.Sweep(11);
        var a = new sbyte[30];
        var b = new sbyte[30];
        pt.CopyConfiguration(0, 2, a);
        pt.CopyConfiguration(2, 2, b);
        double q = 0;
        for (int i = 0; i < 30; i++) q += a[i] * b[i];
        Assert.Equal(q / 30, pt.Overlap(2, 0, 2));
        Assert.Throws<ArgumentException>(() => pt.Overlap(1, 1, 1));
    }

    [Fact]
    public void FlipCounters_AreConsistent()
    {
        var sk = TestInstances.Sk(33, 6);
        var pt = new ParallelTempering(sk, new ParallelTemperingOptions(TemperatureLadder.Geometric(0.3, 3, 5)) { Seed = 3 });
        pt.Sweep(40);
        Assert.Equal(40L, pt.SweepsDone);
        Assert.Equal(40L * 33 * 5 * 2, pt.FlipAttempts);
        long sum = 0;
        for (int c = 0; c < 2; c++)
            for (int k = 0; k < 5; k++)
            {
                sum += pt.AcceptedFlipsAt(c, k);
                Assert.Equal(pt.AcceptedFlipsAt(c, k) / (40.0 * 33), pt.FlipAcceptanceRate(c, k));
            }
        Assert.Equal(sum, pt.AcceptedFlips);
        // Hotter slots accept more: compare the ends of the ladder.
        Assert.True(pt.FlipAcceptanceRate(0, 4) > pt.FlipAcceptanceRate(0, 0));
    }

    [Fact]
    public void Sweep_DoesNotAllocate_OnTheSequentialPath()
    {
        var sk = TestInstances.Sk(64, 7);
        var pt = new ParallelTempering(sk, new ParallelTemperingOptions(TemperatureLadder.Geometric(0.3, 2, 8)) { Seed = 1, MaxDegreeOfParallelism = 1, LocalFieldRefreshInterval = 10 });
        pt.Sweep(50); // JIT warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        pt.Sweep(100);
        for (int t = 0; t < 20; t++) pt.Sweep();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
