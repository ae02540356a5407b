using Boltzmann.Physics.Relaxation;
using Boltzmann.Random;
using Boltzmann.Targets.Relaxation;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests;

/// <summary>The tensor ln pi of the dual Ising field (Li &amp; Wang 2018, eq. 7) against its plain-C# twin <see cref="IsingDualField"/>.</summary>
public class IsingDualFieldTargetTests
{
    [Theory]
    [InlineData(2, 0.3, 1.0)]
    [InlineData(4, 0.4406867935097715, 2.0)]
    [InlineData(8, 0.6, 30.0)] // |x| in the tens: ln cosh must not overflow
    public void LogProb_gradient_and_observables_match_the_plain_twin(int l, double beta, double scale)
    {
        const int rows = 9;
        var field = new IsingDualField(l, beta);
        int n = field.N;
        var rng = new RandomStream((ulong)(l * 100 + 7));
        var x = new double[rows * n];
        for (int k = 0; k < x.Length; k++) x[k] = scale * rng.NextGaussian();
        using var target = new IsingDualFieldTarget(field);
        Assert.Equal([l, l], target.EventShape);
        using var scope = NewDisposeScope();
        var xs = tensor(x, [rows, l, l], ScalarType.Float64).requires_grad_(true);
        var logProb = target.LogProb(xs);
        var grad = autograd.grad([logProb.sum()], [xs])[0].data<double>().ToArray();
        var lp = logProb.data<double>().ToArray();
        var m2 = target.MagnetizationSquared(xs.detach()).data<double>().ToArray();
        var e = target.EnergyPerSite(xs.detach()).data<double>().ToArray();
        var g = new double[n];
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * n, n);
            double want = field.LogDensityAndGradient(row, g);
            Assert.True(Math.Abs(lp[r] - want) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"row {r}: {lp[r]:R} vs {want:R}");
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(grad[r * n + i] - g[i]) <= 1e-12 * Math.Max(1, Math.Abs(g[i])), $"row {r}, component {i}: {grad[r * n + i]:R} vs {g[i]:R}");
            Assert.True(Math.Abs(m2[r] - IsingDualField.MagnetizationSquaredGivenX(row)) <= 1e-12);
            Assert.True(Math.Abs(e[r] - field.EnergyPerSiteGivenX(row)) <= 1e-12);
        }
    }

    [Fact]
    public void Rejects_wrong_shapes_and_dtypes()
    {
        using var target = new IsingDualFieldTarget(new IsingDualField(4, 0.4));
        using var flat = zeros(3, 16, dtype: ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => target.LogProb(flat));
        using var single = zeros(3, 4, 4, dtype: ScalarType.Float32);
        Assert.Throws<ArgumentException>(() => target.LogProb(single));
    }
}
