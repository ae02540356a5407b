namespace Boltzmann.Physics.Numerics;

/// <summary>
/// Gauss–Legendre nodes and weights on [−1, 1] (Newton iteration on P_n from the Chebyshev-like initial guess
/// cos(π(i − 1/4)/(n + 1/2)); Abramowitz and Stegun 25.4.29), and composite rules on [a, b]. An n-point rule is exact for
/// polynomials of degree 2n − 1; the composite rule integrates smooth non-periodic integrands (e.g. a wrapped
/// plaquette weight e^{β cos φ} e^{iνφ} with non-integer ν) to machine precision with modest panel counts.
/// </summary>
public sealed class GaussLegendre
{
    public double[] Nodes { get; }
    public double[] Weights { get; }

    public GaussLegendre(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Need at least one node.");
        Nodes = new double[n];
        Weights = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            double x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            for (int iter = 0; iter < 100; iter++)
            {
                var (pn, dpn) = Legendre(n, x);
                double dx = pn / dpn;
                x -= dx;
                if (Math.Abs(dx) < 1e-16) break;
            }
            // Weight 2 / ((1 − x²) P_n'(x)²) at the converged node.
            double dp = Legendre(n, x).Derivative;
            double w = 2 / ((1 - x * x) * dp * dp);
            Nodes[i] = -x; Weights[i] = w;
            Nodes[n - 1 - i] = x; Weights[n - 1 - i] = w;
        }
    }

    // P_n(x) by the three-term recurrence and P_n'(x) = n (x P_n − P_{n−1}) / (x² − 1).
    private static (double Value, double Derivative) Legendre(int n, double x)
    {
        double p0 = 1, p1 = x;
        for (int k = 2; k <= n; k++)
        {
            double pk = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
            p0 = p1; p1 = pk;
        }
        return (p1, n * (x * p1 - p0) / (x * x - 1));
    }

    /// <summary>∫_a^b f with <paramref name="panels"/> equal panels of this rule.</summary>
    public double Integrate(Func<double, double> f, double a, double b, int panels = 1)
    {
        ArgumentNullException.ThrowIfNull(f);
        double h = (b - a) / panels, sum = 0;
        for (int p = 0; p < panels; p++)
        {
            double mid = a + (p + 0.5) * h, half = 0.5 * h;
            for (int i = 0; i < Nodes.Length; i++) sum += Weights[i] * f(mid + half * Nodes[i]);
        }
        return sum * 0.5 * h;
    }

    /// <summary>Composite nodes and weights on [a, b] (for integrating several functions on one grid).</summary>
    public (double[] X, double[] W) CompositeGrid(double a, double b, int panels)
    {
        int n = Nodes.Length;
        var x = new double[n * panels];
        var w = new double[n * panels];
        double h = (b - a) / panels;
        for (int p = 0; p < panels; p++)
        {
            double mid = a + (p + 0.5) * h;
            for (int i = 0; i < n; i++)
            {
                x[p * n + i] = mid + 0.5 * h * Nodes[i];
                w[p * n + i] = 0.5 * h * Weights[i];
            }
        }
        return (x, w);
    }
}
