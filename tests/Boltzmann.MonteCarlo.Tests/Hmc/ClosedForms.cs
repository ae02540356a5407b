namespace Boltzmann.MonteCarlo.Tests.Hmc;

/// <summary>Closed forms derived in the tests (independent of the sampler) for the exactness checks.</summary>
internal static class ClosedForms
{
    /// <summary>
    /// Free field (lambda = 0): S = phi^T A phi with A = 1 - kappa * adjacency, so Cov = (2A)^{-1}; in momentum
    /// space A(k) = 1 - 2 kappa (cos k0 + cos k1). Returns (&lt;phi(x)^2&gt;, &lt;m^2&gt; = 1 / (2 V (1 - 4 kappa))).
    /// </summary>
    public static (double PhiSquared, double MSquared) FreeField(int l, int t, double kappa)
    {
        double sum = 0;
        for (int a = 0; a < l; a++)
            for (int b = 0; b < t; b++)
                sum += 1 / (2 * (1 - 2 * kappa * (Math.Cos(2 * Math.PI * a / l) + Math.Cos(2 * Math.PI * b / t))));
        return (sum / (l * t), 1 / (2.0 * l * t * (1 - 4 * kappa)));
    }

    /// <summary>Single-site moment &lt;phi^k&gt; at kappa = 0 by Simpson quadrature of exp(-(1-2l) phi^2 - l phi^4).</summary>
    public static double SingleSiteMoment(double lambda, int k)
    {
        const int n = 40000;
        const double a = -12, b = 12;
        double h = (b - a) / n, num = 0, den = 0;
        for (int i = 0; i <= n; i++)
        {
            double x = a + i * h, w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
            double f = Math.Exp(-(1 - 2 * lambda) * x * x - lambda * x * x * x * x);
            num += w * f * Math.Pow(x, k);
            den += w * f;
        }
        return num / den;
    }

    /// <summary>
    /// 2D U(1) on an L x T torus by the character expansion of each plaquette weight w(phi) = e^{beta cos phi + i theta
    /// wrap(phi)/2pi} = sum_n c_n(theta) e^{i n phi}: Z(theta) = sum_n c_n(theta)^V. Then &lt;cos x_P&gt; = (1/V) d ln Z / d beta
    /// at theta = 0 (c_n = I_n(beta), dI_n/dbeta = (I_{n-1} + I_{n+1})/2) and &lt;Q_Z^2&gt; = -Z''(0)/Z(0) with
    /// c_n' = (1/2pi) int e^{beta cos phi} (phi/2pi) sin(n phi), c_n'' = -(1/2pi) int e^{beta cos phi} (phi/2pi)^2 cos(n phi).
    /// All integrals by Simpson on [-pi, pi] with the e^{-beta} scale factored out.
    /// </summary>
    public static (double MeanCos, double ChargeSquared) U1(int l, int t, double beta)
    {
        int v = l * t, nMax = 40;
        var i = new double[2 * nMax + 3];
        var a = new double[2 * nMax + 3];
        var b = new double[2 * nMax + 3];
        const int m = 20000;
        double h = 2 * Math.PI / m;
        for (int n = -nMax - 1; n <= nMax + 1; n++)
        {
            double si = 0, sa = 0, sb = 0;
            for (int j = 0; j <= m; j++)
            {
                double phi = -Math.PI + j * h, w = (j == 0 || j == m) ? 1 : (j % 2 == 1 ? 4 : 2);
                double e = Math.Exp(beta * (Math.Cos(phi) - 1)) * w;
                si += e * Math.Cos(n * phi);
                sa += e * phi / (2 * Math.PI) * Math.Sin(n * phi);
                sb += e * Math.Pow(phi / (2 * Math.PI), 2) * Math.Cos(n * phi);
            }
            double f = h / 3 / (2 * Math.PI);
            i[n + nMax + 1] = si * f; a[n + nMax + 1] = sa * f; b[n + nMax + 1] = sb * f;
        }
        double z = 0, dz = 0, q2 = 0;
        for (int n = -nMax; n <= nMax; n++)
        {
            int k = n + nMax + 1;
            // I_n' (with the e^{-beta} scale: d/dbeta [e^{-beta} I_n] = e^{-beta}(I_n' - I_n), added back below)
            double di = 0.5 * (i[k - 1] + i[k + 1]);
            z += Math.Pow(i[k], v);
            dz += v * Math.Pow(i[k], v - 1) * di;
            q2 += v * (Math.Pow(i[k], v - 1) * b[k] - (v - 1) * Math.Pow(i[k], v - 2) * a[k] * a[k]);
        }
        return (dz / z / v, q2 / z);
    }
}
