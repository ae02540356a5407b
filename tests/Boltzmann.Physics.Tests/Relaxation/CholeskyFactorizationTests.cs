using Boltzmann.Physics.Numerics;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>Cholesky factorisation against reconstruction, closed-form determinants and an independent Gauss-Jordan inverse.</summary>
public class CholeskyFactorizationTests
{
    private static double[] RandomSpd(int n, ulong seed)
    {
        var rng = new RandomStream(seed);
        var m = new double[n * n];
        for (int k = 0; k < m.Length; k++) m[k] = rng.NextGaussian();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += m[i * n + k] * m[j * n + k];
                a[i * n + j] = a[j * n + i] = s + (i == j ? 0.5 : 0);
            }
        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(133)]
    public void Factor_reconstructs_matrix_and_solves(int n)
    {
        var a = RandomSpd(n, 11 + (ulong)n);
        var chol = new CholeskyFactorization(a, n);
        var l = chol.Lower;
        double scale = a.Max(Math.Abs);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (j > i) Assert.Equal(0.0, l[i * n + j]);
                double s = 0;
                for (int k = 0; k < n; k++) s += l[i * n + k] * l[j * n + k];
                Assert.True(Math.Abs(s - a[i * n + j]) <= 1e-12 * scale, $"(L L^T)_{i}{j} = {s:R} vs {a[i * n + j]:R}");
            }

        var rng = new RandomStream(5);
        var b = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
        var x = new double[n];
        chol.Solve(b, x);
        var (inv, logAbsDet) = DenseReference.GaussJordan(a, n);
        for (int i = 0; i < n; i++)
        {
            double expected = 0;
            for (int k = 0; k < n; k++) expected += inv[i * n + k] * b[k];
            Assert.True(Math.Abs(x[i] - expected) <= 1e-8 * (1 + Math.Abs(expected)), $"x_{i} = {x[i]:R} vs Gauss-Jordan {expected:R}");
        }
        Assert.True(Math.Abs(chol.LogDeterminant - logAbsDet) <= 1e-10 * Math.Max(1, Math.Abs(logAbsDet)),
            $"ln det {chol.LogDeterminant:R} vs Gauss-Jordan {logAbsDet:R}");

        // In-place solve gives the same answer.
        var inPlace = (double[])b.Clone();
        chol.Solve(inPlace, inPlace);
        for (int i = 0; i < n; i++) Assert.Equal(x[i], inPlace[i], 12);
    }

    [Fact]
    public void Triangular_helpers_are_consistent()
    {
        const int n = 37;
        var chol = new CholeskyFactorization(RandomSpd(n, 3), n);
        var rng = new RandomStream(9);
        var z = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
        var lz = new double[n];
        chol.MultiplyLower(z, lz);
        var back = new double[n];
        chol.SolveLower(lz, back);
        for (int i = 0; i < n; i++) Assert.Equal(z[i], back[i], 11);

        // L^{-1} L = I and (L^{-1})^T solves L^T x = y.
        var inv = chol.InverseLower();
        var l = chol.Lower;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += inv[i * n + k] * l[k * n + j];
                Assert.True(Math.Abs(s - (i == j ? 1 : 0)) <= 1e-12, $"(L^-1 L)_{i}{j} = {s:R}");
                if (j > i) Assert.Equal(0.0, inv[i * n + j]);
            }
        var upper = new double[n];
        chol.SolveUpper(z, upper);
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < n; k++) s += inv[k * n + i] * z[k];
            Assert.Equal(s, upper[i], 11);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(300)]
    public void Log_determinant_matches_closed_forms(int n)
    {
        // Tridiagonal Toeplitz (2, -1): det = n + 1.
        var t = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            t[i * n + i] = 2;
            if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = -1;
        }
        Assert.Equal(Math.Log(n + 1), new CholeskyFactorization(t, n).LogDeterminant, 10);

        // Diagonal plus rank one (matrix determinant lemma): det(D + u u^T) = prod d_i (1 + sum u_i^2 / d_i).
        var rng = new RandomStream(77);
        var d = Enumerable.Range(0, n).Select(_ => 0.5 + rng.NextDouble()).ToArray();
        var u = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                a[i * n + j] = u[i] * u[j] + (i == j ? d[i] : 0);
        double expected = d.Sum(Math.Log) + Math.Log(1 + Enumerable.Range(0, n).Sum(i => u[i] * u[i] / d[i]));
        Assert.True(Math.Abs(new CholeskyFactorization(a, n).LogDeterminant - expected) <= 1e-10 * Math.Abs(expected) + 1e-12);
    }

    [Fact]
    public void Rejects_indefinite_asymmetric_and_malformed_input()
    {
        double[] indefinite = [1, 2, 2, 1];
        var ex = Assert.Throws<ArgumentException>(() => new CholeskyFactorization(indefinite, 2));
        Assert.Contains("pivot 1", ex.Message);
        Assert.False(CholeskyFactorization.TryCreate(indefinite, 2, out var none));
        Assert.Null(none);

        var asym = Assert.Throws<ArgumentException>(() => new CholeskyFactorization([2, 1, 0.5, 2], 2));
        Assert.Contains("(0, 1)", asym.Message);
        Assert.Throws<ArgumentException>(() => new CholeskyFactorization([1, 2, 3], 2));
        Assert.Throws<ArgumentException>(() => new CholeskyFactorization([double.NaN], 1));
        var chol = new CholeskyFactorization([4.0], 1);
        Assert.Throws<ArgumentException>(() => chol.Solve(new double[2], new double[2]));
    }
}
