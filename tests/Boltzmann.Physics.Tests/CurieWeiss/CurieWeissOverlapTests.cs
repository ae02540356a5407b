using System.Diagnostics;
using Boltzmann.Physics.CurieWeiss;
using Xunit.Abstractions;

namespace Boltzmann.Physics.Tests.CurieWeiss;

/// <summary>P(q) between two independent configurations against the brute-force double sum, normalisation and moments.</summary>
public class CurieWeissOverlapTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 0.5, 1.0, 0.0)]
    [InlineData(4, 1.0, 1.0, 0.3)]
    [InlineData(7, 2.0, 1.0, 0.0)]
    [InlineData(8, 0.6, -1.0, 0.2)]
    [InlineData(8, 1.4, 1.0, 0.05)]
    public void Matches_double_sum_over_pairs(int n, double beta, double j, double h)
    {
        var cw = new CurieWeissExact(n, beta, j, h);
        var reference = new CurieWeissBruteForce(n, beta, j, h).OverlapByDoubleSum();
        var pq = cw.ComputeOverlapDistribution();
        Assert.Equal(n + 1, pq.Length);
        Assert.Equal(1.0, pq.Sum(), 13);
        for (int d = 0; d <= n; d++)
            Assert.True(Math.Abs(pq[d] - reference[d]) <= 1e-14, $"P(d={d}) {pq[d]:R} vs double sum {reference[d]:R}");
        CheckMoments(cw, pq, 1e-13);
    }

    [Theory]
    [InlineData(1500, 0.5, 1.0, 0.1)]
    [InlineData(1000, 1.0, 1.0, 0.0)]
    [InlineData(800, 1.3, 1.0, 0.0)]
    public void Large_n_is_normalised_and_matches_closed_form_moments(int n, double beta, double j, double h) => CheckLarge(n, beta, j, h);

    /// <summary>N = 2000 just above the critical point, where P(M) is widest (about 1.3 s in Release, 4 s in Debug).</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Large_n_near_critical_point() => CheckLarge(2000, 1.1, 1.0, 0.0);

    private void CheckLarge(int n, double beta, double j, double h)
    {
        var cw = new CurieWeissExact(n, beta, j, h);
        var sw = Stopwatch.StartNew();
        var pq = cw.ComputeOverlapDistribution();
        output.WriteLine($"N={n} beta={beta} h={h}: P(q) in {sw.Elapsed.TotalSeconds:F3} s; <q^2> = {cw.MeanQ2:F6}");
        Assert.Equal(1.0, pq.Sum(), 12);
        CheckMoments(cw, pq, 1e-11);
        Assert.Equal(pq, cw.ComputeOverlapDistribution());   // cached copy is identical
    }

    private static void CheckMoments(CurieWeissExact cw, double[] pq, double tolerance)
    {
        int n = cw.N;
        double q1 = 0, q2 = 0;
        for (int d = 0; d <= n; d++)
        {
            double q = 1.0 - 2.0 * d / n;
            q1 += pq[d] * q;
            q2 += pq[d] * q * q;
        }
        Assert.True(Math.Abs(q2 - cw.MeanQ2) <= tolerance, $"sum P(q) q^2 = {q2:R} vs closed form <q^2> = {cw.MeanQ2:R}");
        Assert.True(Math.Abs(q1 - cw.MeanQ) <= tolerance, $"sum P(q) q = {q1:R} vs <m>^2 = {cw.MeanQ:R}");
        if (cw.H == 0)
            for (int d = 0; d <= n; d++) Assert.True(Math.Abs(pq[d] - pq[n - d]) <= tolerance, $"P(q) symmetric at h = 0 (d={d})");
    }
}
