using Boltzmann.Physics.Sk;

namespace Boltzmann.Physics.Tests;

/// <summary>
/// Curie-Weiss instance (all J_ij = J0/N, uniform h): H = -(J0/N)(M^2 - N)/2 - h M depends only on
/// M = N - 2k (k down spins), so every observable is a binomial sum (docs/conventions.md "Curie–Weiss": the i = j terms
/// of M^2 are removed, hence the -N). P(q) follows from the hypergeometric overlap of two exchangeable
/// configurations with given numbers of up spins.
/// </summary>
public class CurieWeissClosedFormTests
{
    internal static double LnBinomial(int n, int k)
    {
        double s = 0;
        for (int i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }

    /// <summary>Closed-form sums over k; returns lnZ, &lt;E&gt;, &lt;E^2&gt;, &lt;|m|&gt;, &lt;m^2&gt; and P(u up spins).</summary>
    internal static (double LnZ, double E, double E2, double AbsM, double M2, double[] PUp) ClosedForm(int n, double j0, double h, double beta)
    {
        var logW = new double[n + 1];
        var energy = new double[n + 1];
        for (int k = 0; k <= n; k++)
        {
            double m = n - 2 * k;
            energy[k] = -(j0 / n) * (m * m - n) / 2 - h * m;
            logW[k] = LnBinomial(n, k) - beta * energy[k];
        }
        double max = logW.Max();
        double z = 0;
        for (int k = 0; k <= n; k++) z += Math.Exp(logW[k] - max);
        double lnZ = max + Math.Log(z);
        double e = 0, e2 = 0, absM = 0, m2 = 0;
        var pUp = new double[n + 1];
        for (int k = 0; k <= n; k++)
        {
            double p = Math.Exp(logW[k] - lnZ);
            double mag = (n - 2.0 * k) / n;
            e += p * energy[k];
            e2 += p * energy[k] * energy[k];
            absM += p * Math.Abs(mag);
            m2 += p * mag * mag;
            pUp[n - k] = p;
        }
        return (lnZ, e, e2, absM, m2, pUp);
    }

    /// <summary>P(d differing spins) for two independent draws: sum over up-counts u1, u2 of P(u1) P(u2) times the
    /// hypergeometric probability that a of the u2 up spins of the second fall on the u1 up spins of the first.</summary>
    internal static double[] OverlapClosedForm(int n, double[] pUp)
    {
        var pd = new double[n + 1];
        for (int u1 = 0; u1 <= n; u1++)
            for (int u2 = 0; u2 <= n; u2++)
            {
                double w = pUp[u1] * pUp[u2];
                if (w == 0) continue;
                for (int a = Math.Max(0, u1 + u2 - n); a <= Math.Min(u1, u2); a++)
                {
                    double hyper = Math.Exp(LnBinomial(u1, a) + LnBinomial(n - u1, u2 - a) - LnBinomial(n, u2));
                    pd[u1 + u2 - 2 * a] += w * hyper;
                }
            }
        return pd;
    }

    [Theory]
    [InlineData(16, 1.0, 0.0)]
    [InlineData(16, 1.0, 0.15)]
    [InlineData(20, 1.0, 0.0)]
    [InlineData(20, -0.7, 0.25)]
    public void Enumeration_matches_binomial_sums(int n, double j0, double h)
    {
        var exact = new SkExactEnumeration(TestInstances.CurieWeiss(n, j0, h));
        foreach (double beta in new[] { 0.3, 1.0, 1.6, 4.0 })
        {
            var r = exact.AtBeta(beta);
            var cf = ClosedForm(n, j0, h, beta);
            string at = $"N={n}, J0={j0}, h={h}, beta={beta}";
            Assert.True(Math.Abs(cf.LnZ - r.LnZ) <= 1e-12 * Math.Abs(cf.LnZ), $"lnZ {at}: {r.LnZ:R} vs {cf.LnZ:R}");
            Assert.True(Math.Abs(cf.E - r.MeanEnergy) <= 1e-10, $"<E> {at}: {r.MeanEnergy:R} vs {cf.E:R}");
            double varCf = cf.E2 - cf.E * cf.E;
            Assert.True(Math.Abs(beta * beta * varCf / n - r.SpecificHeat) <= 1e-9, $"C {at}: {r.SpecificHeat:R} vs {beta * beta * varCf / n:R}");
            Assert.True(Math.Abs(cf.AbsM - r.MeanAbsMagnetization) <= 1e-12, $"<|m|> {at}");
            Assert.True(Math.Abs(cf.M2 - r.MeanMagnetizationSquared) <= 1e-12, $"<m^2> {at}");

            var pd = OverlapClosedForm(n, cf.PUp);
            for (int k = 0; k <= n; k++)
                Assert.True(Math.Abs(pd[k] - r.OverlapDistribution[k]) <= 1e-12, $"P(q_{k}) {at}: {r.OverlapDistribution[k]:R} vs {pd[k]:R}");
        }
    }
}
