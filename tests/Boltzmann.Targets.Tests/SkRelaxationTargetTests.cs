using Boltzmann.Targets.Relaxation;
using Boltzmann.Learning.Targets;
using Boltzmann.Physics.Actions;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests;

/// <summary>The tensor ln p~ of the SK relaxation against the plain-C# H_β of <see cref="SkContinuousRelaxation"/> (eq. 3).</summary>
public class SkRelaxationTargetTests
{
    private static (SkContinuousRelaxation Relaxation, double[] X) Setup(int n, double beta, double field, double scale, int rows, ulong seed)
    {
        var rng = RandomStreams.For(seed, "sk-target-test");
        var instance = SkInstance.Generate(n, ref rng, h: field);
        var relaxation = new SkContinuousRelaxation(instance, beta);
        var x = new double[rows * n];
        for (int k = 0; k < x.Length; k++) x[k] = scale * rng.NextGaussian();
        return (relaxation, x);
    }

    [Theory]
    [InlineData(12, 0.5, 0.0, 1.0)]
    [InlineData(12, 3.0, 0.3, 1.0)]
    [InlineData(16, 1.0, 0.0, 50.0)] // |β(J~x + h)| in the hundreds: ln 2cosh must not overflow
    [InlineData(7, 10.0, -0.2, 3.0)]
    public void LogDensityMatchesTheHamiltonianDensityInFloat64(int n, double beta, double field, double scale)
    {
        const int rows = 33;
        var (relaxation, x) = Setup(n, beta, field, scale, rows, (ulong)(n * 1000 + beta * 10));
        var expected = new double[rows];
        relaxation.HamiltonianDensities(x, expected);
        using var target = new SkRelaxationTarget(relaxation);
        using var xs = tensor(x, [rows, n], ScalarType.Float64);
        using var logP = target.LogProb(xs);
        using var h = target.HamiltonianDensity(xs);
        var got = logP.data<double>().ToArray();
        var gotH = h.data<double>().ToArray();
        for (int r = 0; r < rows; r++)
        {
            double want = -beta * expected[r];
            Assert.True(Math.Abs(got[r] - want) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"row {r}: ln p~ {got[r]:R} vs -beta H {want:R}");
            Assert.True(Math.Abs(gotH[r] - expected[r]) <= 1e-12 * Math.Max(1, Math.Abs(expected[r])), $"row {r}: H {gotH[r]:R} vs {expected[r]:R}");
        }
    }

    [Theory]
    [InlineData(12, 0.7, 0.0)]
    [InlineData(10, 4.0, 0.5)]
    public void AutogradGradientMatchesTheAnalyticGradientAndTheContinuousAction(int n, double beta, double field)
    {
        const int rows = 17;
        var (relaxation, x) = Setup(n, beta, field, 1.5, rows, 99);
        var densities = new double[rows];
        var gradients = new double[rows * n];
        relaxation.HamiltonianDensitiesAndGradients(x, densities, gradients);
        using var target = new SkRelaxationTarget(relaxation);
        using var scope = NewDisposeScope();
        var xs = tensor(x, [rows, n], ScalarType.Float64).requires_grad_(true);
        var grad = autograd.grad([target.LogProb(xs).sum()], [xs])[0].data<double>().ToArray();
        for (int k = 0; k < grad.Length; k++)
        {
            double want = -beta * gradients[k];
            Assert.True(Math.Abs(grad[k] - want) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"component {k}: {grad[k]:R} vs {want:R}");
        }
        // The plain twin as an IContinuousAction: S = −ln p~, ∂S/∂x = −∇ ln p~.
        IContinuousAction action = relaxation;
        var (logProb, autogradGradient) = target.LogProbAndGradient(xs);
        var lp = logProb.data<double>().ToArray();
        var g = autogradGradient.data<double>().ToArray();
        var dS = new double[n];
        for (int r = 0; r < rows; r++)
        {
            double s = action.ActionAndGradient(x.AsSpan(r * n, n), dS);
            Assert.Equal(s, action.Action(x.AsSpan(r * n, n)), 12);
            Assert.True(Math.Abs(lp[r] + s) <= 1e-12 * Math.Max(1, Math.Abs(s)), $"row {r}: ln p~ {lp[r]:R} vs -S {-s:R}");
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(g[r * n + i] + dS[i]) <= 1e-12 * Math.Max(1, Math.Abs(dS[i])), $"row {r}, component {i}");
        }
    }

    [Fact]
    public void Float32AgreesToSinglePrecision()
    {
        const int n = 12, rows = 20;
        var (relaxation, x) = Setup(n, 2.0, 0.1, 1.0, rows, 5);
        var expected = new double[rows];
        relaxation.HamiltonianDensities(x, expected);
        using var target = new SkRelaxationTarget(relaxation, ScalarType.Float32);
        using var xs = tensor(x, [rows, n], ScalarType.Float64).to_type(ScalarType.Float32);
        using var logP = target.LogProb(xs);
        var got = logP.to_type(ScalarType.Float64).data<double>().ToArray();
        for (int r = 0; r < rows; r++)
            Assert.True(Math.Abs(got[r] + 2.0 * expected[r]) <= 1e-4 * Math.Max(1, Math.Abs(expected[r])), $"row {r}");
    }

    [Fact]
    public void LnTwoCoshIsStableAndExact()
    {
        using var a = tensor(new[] { 0.0, 1e-8, -0.3, 2.0, -40.0, 800.0 }, ScalarType.Float64);
        using var v = SkRelaxationTarget.LnTwoCosh(a);
        var got = v.data<double>().ToArray();
        Assert.Equal(Math.Log(2), got[0], 15);
        Assert.Equal(Math.Log(2 * Math.Cosh(-0.3)), got[2], 14);
        Assert.Equal(Math.Log(2 * Math.Cosh(2.0)), got[3], 14);
        Assert.Equal(40.0, got[4], 12);
        Assert.Equal(800.0, got[5], 12);
    }

    [Fact]
    public void RejectsWrongShapesAndDtypes()
    {
        var (relaxation, _) = Setup(6, 1.0, 0, 1, 1, 3);
        using var target = new SkRelaxationTarget(relaxation);
        using var wrongWidth = zeros(3, 5, ScalarType.Float64);
        using var wrongType = zeros(3, 6, ScalarType.Float32);
        Assert.Contains("[batch, 6]", Assert.Throws<ArgumentException>(() => target.LogProb(wrongWidth)).Message);
        Assert.Contains("Float32", Assert.Throws<ArgumentException>(() => target.LogProb(wrongType)).Message);
    }
}
