using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Numerics;
using Boltzmann.Random;
using Boltzmann.Statistics;
using Xunit.Abstractions;

namespace Boltzmann.Physics.Tests.Exact;

public class U1ExactTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, 2.0)]
    [InlineData(3, 2.0)]
    [InlineData(7, 5.0)]
    [InlineData(2, 20.0)]
    public void BesselSeriesMatchesPeriodicTrapezoid(int n, double x)
    {
        // I_n(x) = (1/2π) ∫_{−π}^{π} e^{x cos φ} cos nφ dφ: the trapezoid rule is spectrally exact for this periodic integrand.
        const int m = 512;
        double sum = 0;
        for (int i = 0; i < m; i++) { double phi = 2 * Math.PI * i / m; sum += Math.Exp(x * (Math.Cos(phi) - 1)) * Math.Cos(n * phi); }
        Assert.True(Math.Abs(sum / m - ModifiedBesselInteger.Scaled(n, x)) < 1e-15, $"{sum / m} vs {ModifiedBesselInteger.Scaled(n, x)}");
    }

    [Fact]
    public void GaussLegendreIsExactForPolynomialsAndSmoothFunctions()
    {
        var rule = new GaussLegendre(10);
        Assert.True(Math.Abs(rule.Integrate(x => Math.Pow(x, 19), 0, 1) - 1.0 / 20) < 1e-15);
        Assert.True(Math.Abs(rule.Integrate(Math.Exp, 0, 2, panels: 8) - (Math.Exp(2) - 1)) < 1e-13);
    }

    [Theory]
    [InlineData(0.5, 16)]
    [InlineData(1.0, 16)]
    [InlineData(2.0, 20)]
    public void TwoByTwoMatchesGaugeFixedLinkQuadrature(double beta, int m)
    {
        // Independent of the winding-sector derivation: integrate the 8 links of the 2 × 2 torus directly. Fixing the
        // gauge on a maximal tree (x_0(0,0) = x_1(0,0) = x_0(0,1) = 0) leaves 5 links; the integrand is periodic and
        // analytic in each, so the m-point trapezoid rule per link converges exponentially.
        var (lnZ, plaquette) = TwoByTwoQuadrature(beta, m);
        var exact = U1Exact.Evaluate(2, 2, beta);
        Assert.True(Math.Abs(exact.LnZ - lnZ) < 1e-12, $"ln Z {exact.LnZ} vs {lnZ}");
        Assert.True(Math.Abs(exact.AveragePlaquette - plaquette) < 1e-12, $"<cos> {exact.AveragePlaquette} vs {plaquette}");
    }

    [Fact]
    public void ReproducesTheKnownSusceptibilityAtEightByEight()
    {
        // The wrapped-plaquette integral gives 1.2393 here (not the Σ I_{n+θ/2π}^V form; see U1Exact).
        var r = U1Exact.Evaluate(8, 8, 2.0);
        output.WriteLine($"L=8 beta=2: <Q^2> = {r.MeanChargeSquared:R}, <cos> = {r.AveragePlaquette:R}, ln Z = {r.LnZ:R}");
        Assert.True(Math.Abs(r.MeanChargeSquared - 1.239) < 1e-3, $"<Q^2> = {r.MeanChargeSquared}");
        Assert.Equal(r.MeanChargeSquared / 64, r.TopologicalSusceptibility, 15);
    }

    [Fact]
    public void LargeVolumeApproachesSinglePlaquetteLimits()
    {
        // V → ∞: only n = 0 survives, ⟨cos⟩ → I_1/I_0 and χ_t → ⟨(φ/2π)²⟩ of one plaquette with weight e^{β cos φ}.
        double beta = 2.0;
        var r = U1Exact.Evaluate(64, 64, beta);
        double i1OverI0 = ModifiedBesselInteger.Scaled(1, beta) / ModifiedBesselInteger.Scaled(0, beta);
        var rule = new GaussLegendre(30);
        double num = rule.Integrate(p => Math.Exp(beta * Math.Cos(p)) * p * p / (4 * Math.PI * Math.PI), 0, Math.PI, 8);
        double den = rule.Integrate(p => Math.Exp(beta * Math.Cos(p)), 0, Math.PI, 8);
        Assert.True(Math.Abs(r.AveragePlaquette - i1OverI0) < 1e-12);
        Assert.True(Math.Abs(r.TopologicalSusceptibility - num / den) < 1e-10, $"{r.TopologicalSusceptibility} vs {num / den}");
    }

    [Theory]
    [InlineData(2, 1.0, 400_000)]
    [InlineData(4, 2.0, 200_000)]
    [InlineData(4, 1.0, 200_000)]
    public void MatchesLinkMetropolis(int l, double beta, int sweeps)
    {
        var (plaq, q2) = U1LinkMetropolis.Run(l, beta, sweeps, seed: 20260 + (ulong)(l * 10 + (int)(beta * 10)));
        var exact = U1Exact.Evaluate(l, l, beta);
        output.WriteLine($"L={l} beta={beta}: <cos> MC {plaq} exact {exact.AveragePlaquette:R} ({plaq.Deviation(exact.AveragePlaquette):F2} sigma); " +
                         $"<Q^2> MC {q2} exact {exact.MeanChargeSquared:R} ({q2.Deviation(exact.MeanChargeSquared):F2} sigma)");
        Assert.True(plaq.Deviation(exact.AveragePlaquette) < 4, $"<cos> MC {plaq} vs exact {exact.AveragePlaquette}");
        Assert.True(q2.Deviation(exact.MeanChargeSquared) < 4, $"<Q^2> MC {q2} vs exact {exact.MeanChargeSquared}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void EightByEightSusceptibilityMatchesLinkMetropolis()
    {
        var (plaq, q2) = U1LinkMetropolis.Run(8, 2.0, 400_000, seed: 88);
        var exact = U1Exact.Evaluate(8, 8, 2.0);
        Assert.True(plaq.Deviation(exact.AveragePlaquette) < 4, $"<cos> MC {plaq} vs exact {exact.AveragePlaquette}");
        Assert.True(q2.Deviation(exact.MeanChargeSquared) < 4, $"<Q^2> MC {q2} vs exact {exact.MeanChargeSquared}");
    }

    private static (double LnZ, double Plaquette) TwoByTwoQuadrature(double beta, int m)
    {
        // Links x_mu(x, t) with index mu*4 + x*2 + t; the tree links 0 (x_0(0,0)), 4 (x_1(0,0)), 1 (x_0(0,1)) are 0.
        int[] free = [2, 3, 5, 6, 7];
        var links = new double[8];
        var grid = new double[m];
        for (int i = 0; i < m; i++) grid[i] = 2 * Math.PI * i / m;
        // Neumaier-compensated sums: 10⁶ positive terms would otherwise drift by ~1e-12 relative.
        double z = 0, zErr = 0, zc = 0, zcErr = 0;
        int total = (int)Math.Pow(m, 5);
        for (int idx = 0; idx < total; idx++)
        {
            int r = idx;
            for (int f = 0; f < 5; f++) { links[free[f]] = grid[r % m]; r /= m; }
            double sumCos = 0;
            for (int x = 0; x < 2; x++)
                for (int t = 0; t < 2; t++)
                {
                    int s = x * 2 + t, sx = ((x + 1) % 2) * 2 + t, st = x * 2 + (t + 1) % 2;
                    sumCos += Math.Cos(links[s] + links[4 + sx] - links[st] - links[4 + s]);
                }
            double w = Math.Exp(beta * (sumCos - 4));
            Add(ref z, ref zErr, w);
            Add(ref zc, ref zcErr, w * sumCos);
        }
        z += zErr; zc += zcErr;
        return (Math.Log(z / total) + 4 * beta, zc / z / 4);
    }

    private static void Add(ref double sum, ref double err, double v)
    {
        double t = sum + v;
        err += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
        sum = t;
    }
}

/// <summary>Single-link Metropolis for the 2D U(1) Wilson action: the independent Monte Carlo reference.</summary>
internal static class U1LinkMetropolis
{
    public static (Estimate Plaquette, Estimate ChargeSquared) Run(int l, double beta, int sweeps, ulong seed)
    {
        int v = l * l;
        var links = new double[2 * v];
        var rng = new RandomStream(seed);
        for (int i = 0; i < links.Length; i++) links[i] = Math.PI * (2 * rng.NextDouble() - 1);
        double delta = Math.Min(Math.PI, 2.5 / Math.Sqrt(Math.Max(beta, 0.1)));
        int thermal = sweeps / 10;
        var plaq = new double[sweeps - thermal];
        var q2 = new double[sweeps - thermal];
        for (int sweep = 0; sweep < sweeps; sweep++)
        {
            for (int mu = 0; mu < 2; mu++)
                for (int x = 0; x < l; x++)
                    for (int t = 0; t < l; t++)
                    {
                        int link = mu * v + x * l + t;
                        double old = links[link];
                        double before = LocalCos(links, l, mu, x, t);
                        links[link] = old + delta * (2 * rng.NextDouble() - 1);
                        double after = LocalCos(links, l, mu, x, t);
                        // ΔS = −β Δ Σ cos.
                        if (!(rng.NextDouble() < Math.Exp(beta * (after - before)))) links[link] = old;
                    }
            if (sweep < thermal) continue;
            double sumCos = 0, q = 0;
            for (int x = 0; x < l; x++)
                for (int t = 0; t < l; t++)
                {
                    double p = Plaquette(links, l, x, t);
                    sumCos += Math.Cos(p);
                    q += Math.IEEERemainder(p, 2 * Math.PI);
                }
            q /= 2 * Math.PI;
            plaq[sweep - thermal] = sumCos / v;
            q2[sweep - thermal] = q * q;
        }
        return (IntegratedAutocorrelation.Estimate(plaq), IntegratedAutocorrelation.Estimate(q2));
    }

    private static double Plaquette(double[] links, int l, int x, int t)
    {
        int v = l * l;
        int s = x * l + t, sx = ((x + 1) % l) * l + t, st = x * l + (t + 1) % l;
        return links[s] + links[v + sx] - links[st] - links[v + s];
    }

    // Σ cos over the two plaquettes containing link (mu, x, t).
    private static double LocalCos(double[] links, int l, int mu, int x, int t)
    {
        if (mu == 0)
            return Math.Cos(Plaquette(links, l, x, t)) + Math.Cos(Plaquette(links, l, x, (t - 1 + l) % l));
        return Math.Cos(Plaquette(links, l, x, t)) + Math.Cos(Plaquette(links, l, (x - 1 + l) % l, t));
    }
}
