using System.Diagnostics;
using Boltzmann.Physics.Numerics;
using Boltzmann.Random;
using Xunit.Abstractions;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>Eigenvalues against closed forms, prescribed spectra, an independent Jacobi solver and matrix invariants.</summary>
public class SymmetricEigenvaluesTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    public void Toeplitz_tridiagonal_matches_closed_form(int n)
    {
        // Dense (2, -1) tridiagonal Toeplitz: lambda_k = 2 - 2 cos(k pi / (n + 1)), k = 1..n.
        var t = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            t[i * n + i] = 2;
            if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = -1;
        }
        var expected = Enumerable.Range(1, n).Select(k => 2 - 2 * Math.Cos(k * Math.PI / (n + 1))).OrderBy(v => v).ToArray();
        var dense = SymmetricEigenvalues.Compute(t, n);
        var tri = SymmetricEigenvalues.OfTridiagonal(Enumerable.Repeat(2.0, n).ToArray(), Enumerable.Repeat(-1.0, n - 1).ToArray());
        for (int k = 0; k < n; k++)
        {
            Assert.True(Math.Abs(dense[k] - expected[k]) <= 1e-13, $"lambda_{k}: {dense[k]:R} vs {expected[k]:R}");
            Assert.True(Math.Abs(tri[k] - expected[k]) <= 1e-13, $"tridiagonal lambda_{k}: {tri[k]:R} vs {expected[k]:R}");
        }
        Assert.Equal(expected[0], SymmetricEigenvalues.Smallest(t, n), 13);
        Assert.Equal(expected[^1], SymmetricEigenvalues.Largest(t, n), 13);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    [InlineData(150)]
    public void Prescribed_spectrum_is_recovered(int n)
    {
        // Q diag(lambda) Q^T with a random orthogonal Q; the spectrum includes a repeated and a negative eigenvalue.
        var rng = new RandomStream(1000 + (ulong)n);
        var values = Enumerable.Range(0, n).Select(k => k % 5 == 0 ? 1.5 : -3 + 6 * rng.NextDouble()).ToArray();
        var q = DenseReference.RandomOrthogonal(n, ref rng);
        var a = DenseReference.WithSpectrum(values, q);
        var expected = values.OrderBy(v => v).ToArray();
        var computed = SymmetricEigenvalues.Compute(a, n);
        for (int k = 0; k < n; k++)
            Assert.True(Math.Abs(computed[k] - expected[k]) <= 1e-11, $"lambda_{k}: {computed[k]:R} vs {expected[k]:R}");
    }

    [Fact]
    public void Random_matrices_match_jacobi_and_invariants()
    {
        var rng = new RandomStream(4242);
        foreach (int n in new[] { 2, 5, 12, 31 })
        {
            var a = DenseReference.RandomSymmetric(n, ref rng);
            var reference = DenseReference.Jacobi(a, n).Values;
            var computed = SymmetricEigenvalues.Compute(a, n);
            for (int k = 0; k < n; k++)
                Assert.True(Math.Abs(computed[k] - reference[k]) <= 1e-11, $"n={n} lambda_{k}: {computed[k]:R} vs Jacobi {reference[k]:R}");
        }

        // Trace and Frobenius norm are the first two power sums of the spectrum.
        const int big = 200;
        var m = DenseReference.RandomSymmetric(big, ref rng);
        var lambda = SymmetricEigenvalues.Compute(m, big);
        double trace = 0, frob = 0;
        for (int i = 0; i < big; i++) trace += m[i * big + i];
        foreach (double v in m) frob += v * v;
        Assert.True(Math.Abs(lambda.Sum() - trace) <= 1e-10 * big, $"sum lambda {lambda.Sum():R} vs trace {trace:R}");
        Assert.True(Math.Abs(lambda.Sum(v => v * v) - frob) <= 1e-10 * frob, $"sum lambda^2 {lambda.Sum(v => v * v):R} vs ||A||_F^2 {frob:R}");
        for (int k = 1; k < big; k++) Assert.True(lambda[k] >= lambda[k - 1]);
    }

    [Fact]
    public void Smallest_eigenvalue_brackets_positive_definiteness()
    {
        // Independent of the bisection: A - (lambda_1 - delta) I is positive definite, A - (lambda_1 + delta) I is not.
        var rng = new RandomStream(31);
        const int n = 60;
        var a = DenseReference.RandomSymmetric(n, ref rng);
        double l1 = SymmetricEigenvalues.Smallest(a, n);
        const double delta = 1e-9;
        var below = (double[])a.Clone();
        var above = (double[])a.Clone();
        for (int i = 0; i < n; i++) { below[i * n + i] -= l1 - delta; above[i * n + i] -= l1 + delta; }
        Assert.True(CholeskyFactorization.TryCreate(below, n, out _));
        Assert.False(CholeskyFactorization.TryCreate(above, n, out _));
    }

    [Fact]
    public void Sk_spectrum_edge_and_timing_at_n512()
    {
        // Wigner semicircle: the SK coupling matrix (variance 1/N) has lambda_min -> -2 with N^{-2/3} fluctuations.
        const int n = 512;
        var rng = RandomStreams.For(7, "physics-tests/eigen");
        var inst = Boltzmann.Physics.Sk.SkInstance.Generate(n, ref rng);
        var j = inst.Couplings.ToArray();
        var sw = Stopwatch.StartNew();
        double smallest = SymmetricEigenvalues.Smallest(j, n);
        double seconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var all = SymmetricEigenvalues.Compute(j, n);
        double allSeconds = sw.Elapsed.TotalSeconds;
        output.WriteLine($"N = {n}: lambda_min = {smallest:F5} in {seconds:F3} s; all eigenvalues in {allSeconds:F3} s; lambda_max = {all[^1]:F5}");
        Assert.Equal(all[0], smallest, 12);
        Assert.InRange(smallest, -2.15, -1.85);
        Assert.InRange(all[^1], 1.85, 2.15);
        Assert.True(Math.Abs(all.Sum()) <= 1e-9, "zero diagonal: eigenvalues sum to 0");
    }

    [Fact]
    public void Rejects_bad_input()
    {
        var ex = Assert.Throws<ArgumentException>(() => SymmetricEigenvalues.Compute([1, 2, 3, 4], 2));
        Assert.Contains("not symmetric", ex.Message);
        Assert.Throws<ArgumentException>(() => SymmetricEigenvalues.Compute([1, 2, 3], 2));
        Assert.Throws<ArgumentException>(() => SymmetricEigenvalues.Smallest([double.PositiveInfinity], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigenvalues.Compute([], 0));
        Assert.Throws<ArgumentException>(() => SymmetricEigenvalues.OfTridiagonal([1.0, 2.0], [1.0, 2.0]));
    }
}
