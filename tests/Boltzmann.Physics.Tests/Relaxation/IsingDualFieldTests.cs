using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Numerics;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>
/// The dual Ising field of Li &amp; Wang 2018 (eq. 7): the offset alpha of footnote 65, ln Z_x against a direct
/// quadrature of pi(x) at L = 2 and a brute-force sum over spins (Gaussian identity per spin configuration) at
/// L = 2 and 4, and the analytic gradient.
/// </summary>
public class IsingDualFieldTests
{
    [Theory]
    [InlineData(2, 0.3)]
    [InlineData(4, 0.4406867935097715)]
    [InlineData(8, 0.6)]
    public void Alpha_makes_the_smallest_eigenvalue_one_tenth(int l, double beta)
    {
        var field = new IsingDualField(l, beta);
        // Even periodic lattices: lambda_min(adjacency) = -4 (the staggered mode).
        Assert.Equal(0.1 + 4 * beta, field.Alpha, 12);
        var shifted = field.Couplings.ToArray();
        for (int i = 0; i < field.N; i++) shifted[i * field.N + i] += field.Alpha;
        Assert.Equal(0.1, SymmetricEigenvalues.Smallest(shifted, field.N), 10);
        // -beta H(all up) = beta * 2N bonds.
        var up = Enumerable.Repeat((sbyte)1, field.N).ToArray();
        Assert.Equal(2 * field.N * beta, field.NegativeBetaEnergy(up), 10);
    }

    /// <summary>
    /// Z_x = int dx pi(x) by a tensor-product Gauss-Legendre rule in the Fourier eigenbasis of the 2 x 2 torus
    /// (where the Gaussian factor is separable): no use of the Gaussian identity, so this checks the constant,
    /// including cosh (not 2cosh), independently.
    /// </summary>
    [Theory]
    [InlineData(0.3)]
    [InlineData(0.4406867935097715)]
    [InlineData(0.7)]
    public void LnZx_matches_direct_quadrature_at_L2(double beta)
    {
        var field = new IsingDualField(2, beta);
        const int n = 4;
        // Fourier modes (-1)^(kr r + kc c) / 2 on sites (r, c), site = 2 r + c.
        var modes = new double[n][];
        var eigen = new double[n];
        for (int k = 0; k < n; k++)
        {
            modes[k] = new double[n];
            for (int site = 0; site < n; site++)
                modes[k][site] = ((((k >> 1) & (site >> 1)) + (k & site & 1)) % 2 == 0 ? 1 : -1) * 0.5;
            double lambda = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) lambda += modes[k][i] * field.Couplings[i * n + j] * modes[k][j];
            eigen[k] = lambda + field.Alpha;
        }
        var rule = new GaussLegendre(16);
        var grids = new (double[] X, double[] W)[n];
        for (int k = 0; k < n; k++)
        {
            double half = 2 * eigen[k] + 10 * Math.Sqrt(eigen[k]);
            grids[k] = rule.CompositeGrid(-half, half, 4);
        }
        int m = grids[0].X.Length;
        double total = 0;
        Span<double> x = stackalloc double[n];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++)
                for (int c = 0; c < m; c++)
                    for (int d = 0; d < m; d++)
                    {
                        double y0 = grids[0].X[a], y1 = grids[1].X[b], y2 = grids[2].X[c], y3 = grids[3].X[d];
                        double gauss = -0.5 * (y0 * y0 / eigen[0] + y1 * y1 / eigen[1] + y2 * y2 / eigen[2] + y3 * y3 / eigen[3]);
                        double prod = 1;
                        for (int i = 0; i < n; i++)
                        {
                            x[i] = y0 * modes[0][i] + y1 * modes[1][i] + y2 * modes[2][i] + y3 * modes[3][i];
                            prod *= Math.Cosh(x[i]);
                        }
                        total += grids[0].W[a] * grids[1].W[b] * grids[2].W[c] * grids[3].W[d] * Math.Exp(gauss) * prod;
                    }
        Assert.Equal(Math.Log(total), field.ExactLnZx(), 9);
    }

    /// <summary>
    /// ln Z_x = ln sum_s [2^{-N} int dx exp(-x^T A^{-1} x / 2 + s^T x)] summed over all 2^N spin configurations, each
    /// Gaussian integral (2 pi)^{N/2} det(A)^{1/2} exp(s^T A s / 2) with A = K + alpha I: checks Kaufman's ln Z_Ising
    /// and the assembly of the constant (the paper's formula below Fig. 3).
    /// </summary>
    [Theory]
    [InlineData(2, 0.3)]
    [InlineData(4, 0.3)]
    [InlineData(4, 0.4406867935097715)]
    [InlineData(4, 0.6)]
    public void LnZx_matches_brute_force_sum_over_spins(int l, double beta)
    {
        var field = new IsingDualField(l, beta);
        int n = field.N;
        var a = field.Couplings.ToArray();
        for (int i = 0; i < n; i++) a[i * n + i] += field.Alpha;
        double logDet = new CholeskyFactorization(a, n).LogDeterminant;
        var s = new sbyte[n];
        var terms = new double[1 << n];
        for (int config = 0; config < terms.Length; config++)
        {
            for (int i = 0; i < n; i++) s[i] = (sbyte)(((config >> i) & 1) == 0 ? 1 : -1);
            double quadratic = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) quadratic += s[i] * a[i * n + j] * s[j];
            terms[config] = -n * Math.Log(2) + 0.5 * n * Math.Log(2 * Math.PI) + 0.5 * logDet + 0.5 * quadratic;
        }
        double max = terms.Max();
        double lnZx = max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
        Assert.Equal(lnZx, field.ExactLnZx(), 9);
        // And the paper's printed form of the bound: -ln Z_x = -ln Z_Ising - ln det(A)/2 + (N/2)[ln(2/pi) - alpha].
        double paper = -IsingExact.LnZ(l, beta) - 0.5 * logDet + 0.5 * n * (Math.Log(2 / Math.PI) - field.Alpha);
        Assert.Equal(-lnZx, paper, 9);
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var field = new IsingDualField(4, 0.44);
        var rng = new RandomStream(7);
        var x = new double[field.N];
        for (int i = 0; i < x.Length; i++) x[i] = 2 * rng.NextGaussian();
        var gradient = new double[field.N];
        field.LogDensityAndGradient(x, gradient);
        const double h = 1e-5;
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (field.LogDensity(plus) - field.LogDensity(minus)) / (2 * h);
            Assert.Equal(fd, gradient[i], 6);
        }
    }

    [Fact]
    public void Improved_estimators_are_conditional_expectations()
    {
        // Exact enumeration of E[(sum s / N)^2 | x] and E[H/N | x] over the 2^4 spins of p(s|x) at L = 2.
        var field = new IsingDualField(2, 0.5);
        double[] x = [0.3, -1.2, 2.0, 0.1];
        double m2 = 0, energy = 0;
        var s = new sbyte[4];
        for (int config = 0; config < 16; config++)
        {
            double p = 1;
            for (int i = 0; i < 4; i++)
            {
                s[i] = (sbyte)(((config >> i) & 1) == 0 ? 1 : -1);
                p /= 1 + Math.Exp(-2 * s[i] * x[i]);
            }
            double m = s.Sum(v => (double)v) / 4;
            m2 += p * m * m;
            energy += p * (-field.NegativeBetaEnergy(s) / field.Beta / 4);
        }
        Assert.Equal(m2, IsingDualField.MagnetizationSquaredGivenX(x), 12);
        Assert.Equal(energy, field.EnergyPerSiteGivenX(x), 12);
    }

    [Theory]
    [InlineData(1, 0.4)]
    [InlineData(4, 0.0)]
    [InlineData(4, -1.0)]
    [InlineData(4, double.NaN)]
    public void Rejects_bad_input(int l, double beta) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsingDualField(l, beta));
}
