using Boltzmann.Physics.Sk;
using Boltzmann.Physics.SpinGlass;
using Boltzmann.Random;
using Xunit;

namespace Boltzmann.Physics.Tests.SpinGlass;

public class OverlapHistogramTests
{
    /// <summary>Independent exact draws from the Boltzmann distribution (inverse CDF over all 2^N states).</summary>
    private static int[] ExactDraws(SkExactEnumeration e, double beta, int count, ulong seed)
    {
        var p = new double[e.ConfigurationCount];
        e.BoltzmannProbabilities(beta, p);
        var cdf = new double[p.Length];
        double acc = 0;
        for (int i = 0; i < p.Length; i++) cdf[i] = acc += p[i];
        var rng = RandomStreams.For(seed, "overlap-test");
        var draws = new int[count];
        for (int t = 0; t < count; t++)
        {
            int k = Array.BinarySearch(cdf, rng.NextDouble() * acc);
            draws[t] = Math.Min(k < 0 ? ~k : k, p.Length - 1);
        }
        return draws;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void HistogramOfIndependentExactPairsMatchesExactOverlapDistribution(double temperature)
    {
        var instance = TestInstances.Sk(10, 7);
        var e = new SkExactEnumeration(instance);
        var exact = e.AtTemperature(temperature);
        var draws = ExactDraws(e, 1 / temperature, 40_000, 11);
        var h = new OverlapHistogram(10);
        Span<sbyte> a = stackalloc sbyte[10], b = stackalloc sbyte[10];
        for (int t = 0; t + 1 < draws.Length; t += 2)
        {
            SkExactEnumeration.SpinsOf(draws[t], a);
            SkExactEnumeration.SpinsOf(draws[t + 1], b);
            h.Add(a, b);
        }
        var r = h.Result(blocks: 40);
        Assert.Equal(20_000, r.Pairs);
        Assert.Equal(1.0, r.Probability.Sum(), 12);
        var (chi2, dof) = r.ChiSquareAgainst(exact.OverlapDistribution);
        Assert.True(dof >= 4, $"dof {dof}");
        // chi^2 with dof degrees of freedom: mean dof, sd sqrt(2 dof); 4 sigma band (block errors are ~noisy).
        Assert.InRange(chi2, 0, dof + 4 * Math.Sqrt(2 * dof) + 6);
        Assert.True(r.MeanQ2.Deviation(exact.MeanQ2) < 4, $"<q^2> {r.MeanQ2} vs exact {exact.MeanQ2}");
        Assert.True(r.TotalVariationDistance(exact.OverlapDistribution) < 0.03);
    }

    [Fact]
    public void PairingAConfigurationWithItselfIsVisibleAsASpikeAtQEqualsOne()
    {
        // Guard against the classic mistake the class is designed to avoid: self-pairs give P(q=1) = 1.
        var h = new OverlapHistogram(8);
        var s = new sbyte[] { 1, -1, 1, 1, -1, -1, 1, 1 };
        for (int t = 0; t < 10; t++) h.Add(s, s);
        var r = h.Result(blocks: 2);
        Assert.Equal(1.0, r.Probability[0]);
        Assert.Equal(1.0, r.MeanQ2.Mean);
    }

    [Fact]
    public void DisjointPairsOfFloatRowsAgreeWithSbyteRows()
    {
        var rng = RandomStreams.For(3, "rows");
        const int n = 12, rows = 101;
        var sb = new sbyte[n * rows];
        var fl = new float[n * rows];
        for (int i = 0; i < sb.Length; i++) { sb[i] = rng.NextDouble() < 0.5 ? (sbyte)1 : (sbyte)-1; fl[i] = sb[i]; }
        var a = new OverlapHistogram(n);
        var b = new OverlapHistogram(n);
        a.AddDisjointPairs(sb);
        b.AddDisjointPairs(fl);
        Assert.Equal(50, a.Pairs);
        Assert.Equal(a.Result(5).Probability, b.Result(5).Probability);
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var h = new OverlapHistogram(4);
        Assert.Throws<ArgumentException>(() => h.Add(new sbyte[3], new sbyte[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.AddDistance(5));
        Assert.Throws<InvalidOperationException>(() => h.Result());
        Assert.Throws<ArgumentOutOfRangeException>(() => new OverlapHistogram(0));
    }
}
