using Boltzmann.Physics.Lattice;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests.Lattice;

/// <summary>Random test fields and naive reference implementations written directly from the definitions.</summary>
internal static class LatticeFields
{
    public static double[] Gaussian(int n, ulong seed, double scale = 1)
    {
        var rng = new RandomStream(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = scale * rng.NextGaussian();
        return x;
    }

    public static double[] Angles(int n, ulong seed)
    {
        var rng = new RandomStream(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.PI * (2 * rng.NextDouble() - 1);
        return x;
    }

    /// <summary>S from the definition with (x, t) coordinates and modular neighbours.</summary>
    public static double NaivePhi4(int l, int t, double kappa, double lambda, double[] phi)
    {
        double s = 0;
        for (int x = 0; x < l; x++)
            for (int tt = 0; tt < t; tt++)
            {
                double p = phi[x * t + tt];
                double hop = phi[((x + 1) % l) * t + tt] + phi[x * t + (tt + 1) % t];
                s += -2 * kappa * p * hop + (1 - 2 * lambda) * p * p + lambda * p * p * p * p;
            }
        return s;
    }

    public static double[] NaivePhi4Gradient(int l, int t, double kappa, double lambda, double[] phi)
    {
        var g = new double[l * t];
        for (int x = 0; x < l; x++)
            for (int tt = 0; tt < t; tt++)
            {
                double p = phi[x * t + tt];
                double nb = phi[((x + 1) % l) * t + tt] + phi[((x - 1 + l) % l) * t + tt]
                          + phi[x * t + (tt + 1) % t] + phi[x * t + (tt - 1 + t) % t];
                g[x * t + tt] = -2 * kappa * nb + 2 * (1 - 2 * lambda) * p + 4 * lambda * p * p * p;
            }
        return g;
    }

    /// <summary>Plaquette angle x_P(n) from Foreman et al. eq. 3 with explicit coordinates.</summary>
    public static double NaivePlaquette(int l, int t, double[] links, int x, int tt)
    {
        int v = l * t;
        int n = x * t + tt, ne0 = ((x + 1) % l) * t + tt, ne1 = x * t + (tt + 1) % t;
        return links[n] + links[v + ne0] - links[ne1] - links[v + n];
    }

    public static double NaiveU1(int l, int t, double beta, double[] links)
    {
        double s = 0;
        for (int x = 0; x < l; x++)
            for (int tt = 0; tt < t; tt++) s += beta * (1 - Math.Cos(NaivePlaquette(l, t, links, x, tt)));
        return s;
    }

    public static double[] FiniteDifferenceGradient(Func<double[], double> f, double[] x, double h = 1e-3)
    {
        var g = new double[x.Length];
        var y = (double[])x.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] + h; double fp = f(y);
            y[i] = x[i] - h; double fm = f(y);
            y[i] = x[i] + 2 * h; double fpp = f(y);
            y[i] = x[i] - 2 * h; double fmm = f(y);
            y[i] = x[i];
            g[i] = (8 * (fp - fm) - (fpp - fmm)) / (12 * h);
        }
        return g;
    }

    public static void AssertClose(double expected, double actual, double relTol, string what)
    {
        double tol = relTol * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected:R}, got {actual:R} (tol {tol:G3})");
    }

    public static Lattice2D Shape(int l, int t) => new(l, t);
}
