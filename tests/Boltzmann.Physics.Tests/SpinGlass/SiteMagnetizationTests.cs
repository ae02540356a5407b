using Boltzmann.Physics.Sk;
using Boltzmann.Physics.SpinGlass;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests.SpinGlass;

public class SiteMagnetizationTests
{
    /// <summary>Exact &lt;s_i&gt; by enumeration and M i.i.d. samples of the exact Boltzmann distribution (inverse CDF).</summary>
    private static (double[] Exact, sbyte[] Samples) ExactAndSamples(SkInstance instance, double beta, int m, ulong seed)
    {
        int n = instance.N;
        var enumeration = new SkExactEnumeration(instance);
        var p = new double[enumeration.ConfigurationCount];
        enumeration.BoltzmannProbabilities(beta, p);
        var exact = new double[n];
        var s = new sbyte[n];
        var cdf = new double[p.Length];
        double c = 0;
        for (int x = 0; x < p.Length; x++)
        {
            SkExactEnumeration.SpinsOf(x, s);
            for (int i = 0; i < n; i++) exact[i] += p[x] * s[i];
            c += p[x];
            cdf[x] = c;
        }
        var rng = RandomStreams.For(seed, "site-magnetization-test");
        var samples = new sbyte[m * n];
        for (int k = 0; k < m; k++)
        {
            double u = rng.NextDouble() * c;
            int idx = Array.BinarySearch(cdf, u);
            if (idx < 0) idx = ~idx;
            SkExactEnumeration.SpinsOf(Math.Min(idx, p.Length - 1), samples.AsSpan(k * n, n));
        }
        return (exact, samples);
    }

    [Fact]
    public void SiteMagnetizationsAndCollapseIndicatorMatchExactEnumerationWithAField()
    {
        var instance = TestInstances.Sk(10, 41, fieldScale: 0.5);
        const int m = 32_000;
        var (exact, samples) = ExactAndSamples(instance, 1.0, m, 1);
        var acc = new SiteMagnetization(10, m / 32);
        acc.AddRows(samples);
        var r = acc.Result();
        Assert.Equal(32, r.Blocks);
        double chi2 = 0;
        for (int i = 0; i < 10; i++)
        {
            double z = (r.Sites[i].Mean - exact[i]) / r.Sites[i].StdError;
            Assert.True(Math.Abs(z) < 4, $"site {i}: {r.Sites[i]} vs exact {exact[i]:F5} ({z:F2} sigma)");
            chi2 += z * z;
        }
        Assert.True(chi2 < 10 + 4 * Math.Sqrt(20), $"chi2 = {chi2:F1} for 10 sites");
        double exactC = exact.Sum(v => v * v) / 10;
        Assert.True(exactC > 0.05, "the field must magnetise the sites for this test to mean anything");
        Assert.True(r.CollapseIndicator.Deviation(exactC) < 4, $"C = {r.CollapseIndicator} vs exact {exactC:F5}");
    }

    [Fact]
    public void CollapseIndicatorIsBiasFreeForAZ2SymmetricSampler()
    {
        var instance = TestInstances.Sk(10, 42);
        const int m = 8_000;
        var (exact, samples) = ExactAndSamples(instance, 0.5, m, 2);
        Assert.All(exact, v => Assert.True(Math.Abs(v) < 1e-12));
        var acc = new SiteMagnetization(10, m / 32);
        acc.AddRows(samples);
        var r = acc.Result();
        // The plug-in (1/N) sum m^2 would be ~ 1/M = 1.25e-4 > 0; the U-statistic is centred on 0.
        Assert.True(r.CollapseIndicator.Deviation(0) < 4, $"C = {r.CollapseIndicator}");
        Assert.True(r.MeanMagnetization.Deviation(0) < 4, $"M/N = {r.MeanMagnetization}");
    }

    [Fact]
    public void CollapsedSamplerHasIndicatorOne()
    {
        var acc = new SiteMagnetization(4, 10);
        sbyte[] state = [1, -1, 1, 1];
        for (int k = 0; k < 100; k++) acc.Add(state);
        var r = acc.Result();
        Assert.Equal(1.0, r.CollapseIndicator.Mean, 12);
        Assert.Equal(1.0, r.MeanAbsolute, 12);
    }

    [Fact]
    public void RejectsBadInput()
    {
        var acc = new SiteMagnetization(3, 5);
        Assert.Throws<ArgumentException>(() => acc.Add(new sbyte[] { 1, 0, 1 }));
        Assert.Throws<ArgumentException>(() => acc.Add(new sbyte[] { 1, 1 }));
        Assert.Throws<InvalidOperationException>(() => acc.Result());
    }
}
