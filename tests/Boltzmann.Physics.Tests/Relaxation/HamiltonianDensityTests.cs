using System.Diagnostics;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Random;
using Xunit.Abstractions;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>H_beta(x) of eq. 3 written out term by term, its gradient by finite differences, batched vs single.</summary>
public class HamiltonianDensityTests(ITestOutputHelper output)
{
    private static double[] RandomRows(int rows, int n, ulong seed, double scale)
    {
        var rng = new RandomStream(seed);
        return Enumerable.Range(0, rows * n).Select(_ => scale * rng.NextGaussian()).ToArray();
    }

    [Theory]
    [InlineData(5, 1.0, 0.3)]
    [InlineData(17, 0.4, 0.0)]
    [InlineData(40, 3.0, 0.5)]
    public void Density_matches_eq3_written_out(int n, double beta, double fieldScale)
    {
        var inst = DenseReference.Instance(n, 11, fieldScale);
        var relax = new SkContinuousRelaxation(inst, beta);
        var (shifted, _, _) = DenseReference.Shift(inst, SkContinuousRelaxation.DefaultEpsilon);
        var xs = RandomRows(5, n, 3, 1.5);
        for (int r = 0; r < 5; r++)
        {
            var x = xs.AsSpan(r * n, n).ToArray();
            double quad = 0, lnCosh = 0;
            for (int i = 0; i < n; i++)
            {
                double jx = 0;
                for (int j = 0; j < n; j++) jx += shifted[i * n + j] * x[j];
                quad += x[i] * jx;
                lnCosh += Math.Log(2 * Math.Cosh(beta * (jx + inst.Fields[i])));
            }
            double expected = 0.5 * quad - lnCosh / beta;
            double actual = relax.HamiltonianDensity(x);
            Assert.True(Math.Abs(actual - expected) <= 1e-11 * Math.Max(1, Math.Abs(expected)), $"H_beta {actual:R} vs {expected:R}");
        }
    }

    [Theory]
    [InlineData(6, 1.0, 0.3)]
    [InlineData(30, 0.3, 0.2)]
    [InlineData(30, 4.0, 0.0)]
    public void Gradient_matches_central_differences(int n, double beta, double fieldScale)
    {
        var relax = new SkContinuousRelaxation(DenseReference.Instance(n, 12, fieldScale), beta);
        var x = RandomRows(1, n, 5, 1.2);
        var grad = new double[n];
        double h0 = relax.HamiltonianDensityAndGradient(x, grad);
        Assert.Equal(relax.HamiltonianDensity(x), h0, 12);
        const double step = 1e-5;
        for (int i = 0; i < n; i++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += step;
            minus[i] -= step;
            double fd = (relax.HamiltonianDensity(plus) - relax.HamiltonianDensity(minus)) / (2 * step);
            Assert.True(Math.Abs(fd - grad[i]) <= 1e-6 * Math.Max(1, Math.Abs(grad[i])), $"dH/dx_{i}: analytic {grad[i]:R} vs central difference {fd:R}");
        }
    }

    [Fact]
    public void Batched_equals_single_and_log_density_is_minus_beta_h()
    {
        const int n = 23, rows = 150;   // not a multiple of the block size, so the tail path runs too
        const double beta = 0.8;
        var relax = new SkContinuousRelaxation(DenseReference.Instance(n, 13, 0.4), beta);
        var xs = RandomRows(rows, n, 6, 1.0);
        var densities = new double[rows];
        var grads = new double[rows * n];
        relax.HamiltonianDensitiesAndGradients(xs, densities, grads);
        var onlyDensities = new double[rows];
        relax.HamiltonianDensities(xs, onlyDensities);
        var logDensities = new double[rows];
        relax.LogUnnormalizedDensities(xs, logDensities);
        var g = new double[n];
        for (int r = 0; r < rows; r++)
        {
            var x = xs.AsSpan(r * n, n);
            double h = relax.HamiltonianDensityAndGradient(x, g);
            Assert.Equal(h, densities[r], 11);
            Assert.Equal(h, onlyDensities[r], 11);
            Assert.Equal(-beta * h, logDensities[r], 10);
            Assert.Equal(-beta * h, relax.LogUnnormalizedDensity(x), 10);
            for (int i = 0; i < n; i++) Assert.Equal(g[i], grads[r * n + i], 11);
        }
    }

    [Fact]
    public void Timing_n256()
    {
        const int n = 256, rows = 2000;
        var inst = DenseReference.Instance(n, 14, 0.0);
        var sw = Stopwatch.StartNew();
        var relax = new SkContinuousRelaxation(inst, 1.0);
        double build = sw.Elapsed.TotalSeconds;
        var xs = RandomRows(rows, n, 7, 1.0);
        var densities = new double[rows];
        var grads = new double[rows * n];
        sw.Restart();
        relax.HamiltonianDensitiesAndGradients(xs, densities, grads);
        double eval = sw.Elapsed.TotalSeconds;
        var spins = new sbyte[rows * n];
        var rng = new RandomStream(1);
        for (int k = 0; k < spins.Length; k++) spins[k] = rng.NextInt(2) == 1 ? (sbyte)1 : (sbyte)-1;
        sw.Restart();
        relax.SampleXGivenS(spins, xs, ref rng);
        double sample = sw.Elapsed.TotalSeconds;
        output.WriteLine($"N = {n}: construction (eigenvalue, Cholesky, inverse factor) {build:F3} s; H_beta + gradient for {rows} rows {eval:F3} s; "
            + $"{rows} draws of x|s {sample:F3} s; lambda_1(J) = {relax.LambdaMin:F4}, Delta = {relax.Delta:F4}");
        Assert.InRange(relax.LambdaMin, -2.2, -1.7);
        Assert.All(densities, d => Assert.True(double.IsFinite(d)));
    }
}
