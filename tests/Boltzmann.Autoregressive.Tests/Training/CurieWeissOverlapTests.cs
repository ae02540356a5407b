using Boltzmann.Physics.CurieWeiss;

namespace Boltzmann.Autoregressive.Tests.Training;

/// <summary>
/// The exact Curie-Weiss P(q) drawn under the annealed networks' histograms (Fig. 4C) comes from
/// <see cref="CurieWeissExact.ComputeOverlapDistribution"/>: the convolution over two independent replicas of P(M) with the
/// hypergeometric law of their common up spins. Checked here against brute-force enumeration of all pairs at N = 10.
/// </summary>
public class CurieWeissOverlapTests
{
    [Theory]
    [InlineData(0.7, 0.0)]
    [InlineData(1.3, 0.0)]
    [InlineData(1.3, 0.1)]
    public void ExactPOfQEqualsEnumerationOverPairs(double beta, double h)
    {
        const int n = 10;
        var cw = new CurieWeissExact(n, beta, 1.0, h);
        var p = new double[1 << n];
        var x = new sbyte[n];
        for (int c = 0; c < p.Length; c++)
        {
            for (int s = 0; s < n; s++) x[s] = (sbyte)(((c >> s) & 1) == 1 ? 1 : -1);
            p[c] = Math.Exp(cw.LogProbability(x));
        }
        var pd = new double[n + 1];
        for (int a = 0; a < p.Length; a++)
            for (int b = 0; b < p.Length; b++)
                pd[System.Numerics.BitOperations.PopCount((uint)(a ^ b))] += p[a] * p[b];
        var exact = cw.ComputeOverlapDistribution();
        for (int d = 0; d <= n; d++) Assert.True(Math.Abs(pd[d] - exact[d]) < 1e-11, $"d={d}: enumeration {pd[d]:R}, exact {exact[d]:R}");
    }
}
