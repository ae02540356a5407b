using Boltzmann.Flows.Diagnostics;
using Boltzmann.Flows.Numerics;
using System.Collections.Concurrent;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>
/// The contract every normalizing flow of the project satisfies, run over <see cref="FlowRegistry"/>:
/// exact invertibility, log-dets against the autograd Jacobian, self-consistent log-probabilities, a density that
/// integrates to 1 and whose samples have the moments the density predicts, reproducible sampling, and (for
/// layered flows) the Gaussian prior layer and consistent intermediate densities.
/// </summary>
public class FlowContractTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(FlowRegistry.Bijections), MemberType = typeof(FlowRegistry))]
    public void InverseOfForwardRecoversTheInput(string name)
    {
        var c = FlowRegistry.Get(name);
        using var flow = c.Create();
        using var scope = NewDisposeScope();
        using var generator = new Generator(101, CPU);
        // Points from a wider Gaussian than the prior, so tails are exercised too.
        var z = randn(c.Shape(256), c.Dtype, generator: generator).mul(2.5);
        var check = FlowDiagnostics.Check(flow.Bijection!, z, jacobianMaxDimension: 0);
        Assert.True(check.MaxRoundTripError <= c.RoundTripTolerance, $"{name}: max |G^-1(G(z)) - z| = {check.MaxRoundTripError:E3}");
        Assert.True(check.MaxLogDetAsymmetry <= c.RoundTripTolerance * 10,
            $"{name}: forward and inverse log-dets differ by {check.MaxLogDetAsymmetry:E3}");

        using (no_grad())
        {
            var (x, _) = flow.Sampler.Sample(256, generator);
            var (back, _) = flow.Bijection!.Inverse(x);
            var (again, _) = flow.Bijection.Forward(back);
            double error = again.sub(x).abs().max().to_type(ScalarType.Float64).item<double>();
            Assert.True(error <= c.RoundTripTolerance, $"{name}: max |G(G^-1(x)) - x| = {error:E3}");
        }
    }

    [Theory]
    [MemberData(nameof(FlowRegistry.SmallBijections), MemberType = typeof(FlowRegistry))]
    public void LogDetEqualsLogAbsDetOfTheAutogradJacobian(string name)
    {
        var c = FlowRegistry.Get(name);
        using var flow = c.Create();
        using var scope = NewDisposeScope();
        using var generator = new Generator(202, CPU);
        var z = randn(c.Shape(16), c.Dtype, generator: generator).mul(1.5);
        var check = FlowDiagnostics.Check(flow.Bijection!, z, jacobianMaxDimension: 8);
        Assert.NotNull(check.MaxJacobianLogDetError);
        Assert.True(check.MaxJacobianLogDetError <= c.JacobianTolerance,
            $"{name}: analytic log-det differs from ln|det J| by {check.MaxJacobianLogDetError:E3}");

        // Not vacuous: the log-dets are far from zero and vary between points.
        using (no_grad())
        {
            var (_, logDet) = flow.Bijection!.Forward(z);
            var values = logDet.to_type(ScalarType.Float64).data<double>().ToArray();
            Assert.True(values.Max() - values.Min() > 1e-3 || c.Dimension == 1 || Math.Abs(values[0]) > 1e-2,
                $"{name}: log-dets are all ~{values[0]:E3}; the flow is (nearly) volume preserving, so the check would not bite");
        }
    }

    [Theory]
    [MemberData(nameof(FlowRegistry.Names), MemberType = typeof(FlowRegistry))]
    public void LogProbOfSamplesEqualsTheReturnedLogProb(string name)
    {
        var c = FlowRegistry.Get(name);
        using var flow = c.Create();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var generator = new Generator(303, CPU);
        var (x, logProb) = flow.Sampler.Sample(512, generator);
        Assert.Equal(c.Shape(512), x.shape);
        Assert.Equal(new long[] { 512 }, logProb.shape);
        Assert.Equal(c.Dtype, x.dtype);
        Assert.Equal(c.Dtype, logProb.dtype);
        var recomputed = flow.Sampler.LogProb(x).to_type(ScalarType.Float64);
        var returned = logProb.to_type(ScalarType.Float64);
        var allowed = returned.abs().clamp_min(1.0).mul(c.LogProbTolerance);
        double worst = recomputed.sub(returned).abs().sub(allowed).max().item<double>();
        Assert.True(worst <= 0, $"{name}: LogProb(Sample) differs from the returned log q beyond tolerance by {worst:E3}");
    }

    [Theory]
    [MemberData(nameof(FlowRegistry.LowDimensional), MemberType = typeof(FlowRegistry))]
    public void DensityIntegratesToOne(string name)
    {
        var c = FlowRegistry.Get(name);
        using var flow = c.Create();
        double radius = QuadratureRadius(name, flow);
        int points = QuadraturePoints(c);
        var fine = CachedMoments(name, flow, radius, points);
        var coarse = CachedMoments(name, flow, radius, (points + 1) / 2);
        // Quadrature error estimated from halving the grid (the density has kinks from LeakyReLU, so
        // convergence is O(h^2)); float32 adds rounding of ~1e-6 per point.
        double quadratureError = Math.Abs(fine[0] - coarse[0]);
        output.WriteLine($"{name}: radius {radius:F3}, Z(h) = {fine[0]:R}, Z(2h) = {coarse[0]:R}");
        double tolerance = 3 * quadratureError + (c.Dtype == ScalarType.Float64 ? 1e-9 : 1e-5);
        Assert.True(Math.Abs(fine[0] - 1) <= tolerance,
            $"{name}: ∫q = {fine[0]:R} (coarse grid {coarse[0]:R}, radius {radius:F2}); |∫q - 1| exceeds {tolerance:E2}");
        Assert.True(Math.Abs(fine[0] - 1) < 1e-4, $"{name}: ∫q = {fine[0]:R}");
    }

    [Theory]
    [MemberData(nameof(FlowRegistry.LowDimensional), MemberType = typeof(FlowRegistry))]
    public void SampleMomentsMatchTheDensity(string name)
    {
        var c = FlowRegistry.Get(name);
        using var flow = c.Create();
        var exact = CachedMoments(name, flow, QuadratureRadius(name, flow), QuadraturePoints(c));

        const int count = 40_000;
        double[] x0, xl;
        using (var scope = NewDisposeScope())
        using (no_grad())
        using (var generator = new Generator(404, CPU))
        {
            var (x, _) = flow.Sampler.Sample(count, generator);
            var xd = x.to_type(ScalarType.Float64);
            x0 = xd.select(1, 0).data<double>().ToArray();
            xl = xd.select(1, c.Dimension - 1).data<double>().ToArray();
        }
        // Independent samples: standard error = sample standard deviation / sqrt(count).
        AssertMean(name, "x0", x0, exact[1] / exact[0]);
        AssertMean(name, "x0^2", x0.Select(v => v * v).ToArray(), exact[2] / exact[0]);
        AssertMean(name, "x0*x_last", x0.Zip(xl, (a, b) => a * b).ToArray(), exact[3] / exact[0]);
    }

    [Theory]
    [MemberData(nameof(FlowRegistry.Names), MemberType = typeof(FlowRegistry))]
    public void SeededGeneratorsReproduceSamplesExactly(string name)
    {
        var c = FlowRegistry.Get(name);
        using var first = c.Create();
        using var second = c.Create();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g1 = new Generator(505, CPU);
        using var g2 = new Generator(505, CPU);
        using var g3 = new Generator(506, CPU);
        var (x1, l1) = first.Sampler.Sample(64, g1);
        var (x2, l2) = second.Sampler.Sample(64, g2);
        var (x3, _) = second.Sampler.Sample(64, g3);
        Assert.True(TensorCompare.Identical(x1, x2), $"{name}: same seed, different samples");
        Assert.True(TensorCompare.Identical(l1, l2), $"{name}: same seed, different log-probabilities");
        Assert.False(TensorCompare.Identical(x1, x3), $"{name}: different seeds gave identical samples");
    }

    [Theory]
    [MemberData(nameof(FlowRegistry.Layered), MemberType = typeof(FlowRegistry))]
    public void PriorLayerHasExactlyTheGaussianLogDensity(string name)
    {
        var c = FlowRegistry.Get(name);
        using var flow = c.Create();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var generator = new Generator(606, CPU);
        var z = randn(c.Shape(32), c.Dtype, generator: generator);
        using var layers = flow.Layered!.ForwardLayers(z);
        var logPrior = layers.LogDensities[0].to_type(ScalarType.Float64).data<double>().ToArray();
        var viaPartial = flow.Layered.PartialFlow(0).LogProb(z).to_type(ScalarType.Float64).data<double>().ToArray();
        var zs = z.to_type(ScalarType.Float64).data<double>().ToArray();
        for (int b = 0; b < 32; b++)
        {
            double sq = 0;
            for (int i = 0; i < c.Dimension; i++) sq += zs[b * c.Dimension + i] * zs[b * c.Dimension + i];
            double exact = -0.5 * sq - 0.5 * c.Dimension * Math.Log(2 * Math.PI);
            double tol = c.Dtype == ScalarType.Float64 ? 1e-12 * Math.Max(1, Math.Abs(exact)) : 1e-5 * Math.Max(1, Math.Abs(exact));
            Assert.True(Math.Abs(logPrior[b] - exact) <= tol, $"{name}: layer-0 log density {logPrior[b]:R} vs Gaussian {exact:R}");
            Assert.True(Math.Abs(viaPartial[b] - exact) <= tol, $"{name}: G^(0).LogProb {viaPartial[b]:R} vs Gaussian {exact:R}");
        }
        Assert.True(TensorCompare.Identical(layers.States[0], z), $"{name}: layer 0 must be the prior draw itself");
    }

    [Theory]
    [MemberData(nameof(FlowRegistry.Layered), MemberType = typeof(FlowRegistry))]
    public void IntermediateLayerDensitiesAgreeWithInversionAndPartialFlows(string name)
    {
        var c = FlowRegistry.Get(name);
        using var flow = c.Create();
        var layered = flow.Layered!;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g1 = new Generator(707, CPU);
        using var layers = layered.SampleLayers(128, g1);
        Assert.Equal(layered.LayerCount, layers.LayerCount);
        for (int l = 0; l <= layered.LayerCount; l++)
        {
            var forwardDensity = layers.LogDensities[l].to_type(ScalarType.Float64);
            var inverted = layered.LayerLogProb(l, layers.States[l]).to_type(ScalarType.Float64);
            double diff = forwardDensity.sub(inverted).abs().max().item<double>();
            double scale = Math.Max(1, forwardDensity.abs().max().item<double>());
            Assert.True(diff <= c.LogProbTolerance * scale, $"{name}: layer {l}: forward {diff:E3} away from the inverted log density");

            using var g2 = new Generator(707, CPU);
            var (partial, partialLogProb) = layered.PartialFlow(l).Sample(128, g2);
            Assert.True(TensorCompare.Identical(partial, layers.States[l]), $"{name}: G^({l}) samples differ from layer {l} of the same draws");
            Assert.True(partialLogProb.to_type(ScalarType.Float64).sub(forwardDensity).abs().max().item<double>() <= c.LogProbTolerance * scale);
        }
        var full = layered.LogProb(layers.States[^1]).to_type(ScalarType.Float64);
        Assert.True(full.sub(layers.LogDensities[^1].to_type(ScalarType.Float64)).abs().max().item<double>() <= c.LogProbTolerance * 100,
            $"{name}: last layer's density differs from LogProb");
    }

    private static readonly ConcurrentDictionary<string, Lazy<double>> Radii = new();
    private static readonly ConcurrentDictionary<(string, int), Lazy<double[]>> MomentCache = new();

    private static int QuadraturePoints(FlowCase c) => c.Dimension == 1 ? 20001 : 801;

    /// <summary>Grid integrals are deterministic per (flow, grid), so the two quadrature tests share them.</summary>
    private static double[] CachedMoments(string name, FlowInstance flow, double radius, int points)
    {
        var c = FlowRegistry.Get(name);
        return MomentCache.GetOrAdd((name, points), _ => new Lazy<double[]>(() =>
        {
            using var own = c.Create();
            return GridQuadrature.Moments(own.Sampler, c.Dtype, radius, points);
        })).Value;
    }

    private static double QuadratureRadius(string name, FlowInstance flow) =>
        Radii.GetOrAdd(name, _ => new Lazy<double>(() => SampledRadius(flow))).Value;

    /// <summary>Twice the largest |x| of 20k samples plus one: the mass outside is far below the tolerances.</summary>
    private static double SampledRadius(FlowInstance flow)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var generator = new Generator(808, CPU);
        var (x, _) = flow.Sampler.Sample(20_000, generator);
        return 2 * x.abs().max().to_type(ScalarType.Float64).item<double>() + 1;
    }

    private static void AssertMean(string name, string what, double[] values, double exact)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        double se = Math.Sqrt(variance / values.Length);
        Assert.True(Math.Abs(mean - exact) <= 4 * se, $"{name}: sample mean of {what} = {mean:F5} ± {se:F5}, density gives {exact:F5} ({(mean - exact) / se:F2} sigma)");
    }
}
