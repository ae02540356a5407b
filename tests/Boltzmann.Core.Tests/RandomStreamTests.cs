using Boltzmann.Random;

namespace Boltzmann.Core.Tests;

public class RandomStreamTests
{
    [Fact]
    public void SameSeedSameSequenceAndStateRoundTrips()
    {
        var a = new RandomStream(42);
        var b = new RandomStream(42);
        for (int i = 0; i < 1000; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var restored = RandomStream.FromState(a.GetState());
        for (int i = 0; i < 1000; i++) Assert.Equal(a.NextUInt64(), restored.NextUInt64());
    }

    [Fact]
    public void StreamsDependOnEveryPartOfTheIdentity()
    {
        var seeds = new HashSet<ulong>
        {
            RandomStreams.DeriveSeed(1, "pt"),
            RandomStreams.DeriveSeed(2, "pt"),
            RandomStreams.DeriveSeed(1, "pt2"),
            RandomStreams.DeriveSeed(1, "pt", replica: 1),
            RandomStreams.DeriveSeed(1, "pt", chain: 1),
        };
        Assert.Equal(5, seeds.Count);
        Assert.Equal(RandomStreams.DeriveSeed(7, "x", 3, 4), RandomStreams.DeriveSeed(7, "x", 3, 4));
    }

    [Fact]
    public void UniformDoublesPassAChiSquareTest()
    {
        var rng = new RandomStream(7);
        const int bins = 100, n = 1_000_000;
        var counts = new int[bins];
        for (int i = 0; i < n; i++) counts[(int)(rng.NextDouble() * bins)]++;
        double expected = (double)n / bins, chi2 = 0;
        foreach (int c in counts) chi2 += (c - expected) * (c - expected) / expected;
        // 99 dof: mean 99, sd 14; 4 sigma bounds.
        Assert.InRange(chi2, 99 - 4 * 14, 99 + 4 * 14);
    }

    [Fact]
    public void NextIntIsUnbiasedForANonPowerOfTwo()
    {
        var rng = new RandomStream(8);
        const int k = 7, n = 700_000;
        var counts = new int[k];
        for (int i = 0; i < n; i++) counts[rng.NextInt(k)]++;
        double p = 1.0 / k, sd = Math.Sqrt(n * p * (1 - p));
        foreach (int c in counts) Assert.True(Math.Abs(c - n * p) < 4.5 * sd, $"count {c} vs {n * p}");
    }

    [Fact]
    public void GaussianHasUnitVarianceAndGaussianKurtosis()
    {
        var rng = new RandomStream(9);
        const int n = 400_000;
        double s1 = 0, s2 = 0, s4 = 0;
        for (int i = 0; i < n; i++) { double g = rng.NextGaussian(); s1 += g; s2 += g * g; s4 += g * g * g * g; }
        Assert.True(Math.Abs(s1 / n) < 4 / Math.Sqrt(n));
        Assert.True(Math.Abs(s2 / n - 1) < 4 * Math.Sqrt(2.0 / n));
        Assert.True(Math.Abs(s4 / n - 3) < 4 * Math.Sqrt(96.0 / n));
    }

    [Fact]
    public void AllZeroStateIsRejected()
    {
        Assert.Throws<ArgumentException>(() => RandomStream.FromState(new ulong[4]));
    }
}
