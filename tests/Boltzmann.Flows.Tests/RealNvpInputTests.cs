using Boltzmann.Flows.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>Bad input and numerical failures give clear errors naming what and where.</summary>
public class RealNvpInputTests
{
    [Fact]
    public void InvalidOptionsAreReportedTogetherWithTheirValues()
    {
        var e = Assert.Throws<ArgumentException>(() => new RealNvp(new RealNvpOptions
        {
            Dimension = 0, Layers = 0, HiddenWidth = 0, NegativeSlope = double.NaN, Dtype = ScalarType.Int32,
        }));
        foreach (var part in new[] { "Dimension = 0", "Layers = 0", "HiddenWidth = 0", "NegativeSlope = NaN", "Dtype = Int32" })
            Assert.Contains(part, e.Message);

        var masks = new[] { new[] { true, false }, new[] { false, true } };
        var wrong = Assert.Throws<ArgumentException>(() => new RealNvp(new RealNvpOptions { Dimension = 3, Layers = 2 }, masks));
        Assert.Contains("mask of layer 0 has length 2; expected N = 3", wrong.Message);
        var count = Assert.Throws<ArgumentException>(() => new RealNvp(new RealNvpOptions { Dimension = 2, Layers = 4 }, masks));
        Assert.Contains("2 masks given for 4 coupling layers", count.Message);
    }

    [Fact]
    public void WrongShapeDtypeOrLayerIsRejectedWithTheExpectedLayout()
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 4, Seed = 1 });
        using var scope = NewDisposeScope();
        var shape = Assert.Throws<ArgumentException>(() => flow.Forward(zeros([3, 5], ScalarType.Float64)));
        Assert.Contains("RealNvp.Forward: z has shape [3, 5]; expected [batch >= 1, 4]", shape.Message);
        var rank = Assert.Throws<ArgumentException>(() => flow.LogProb(zeros([4], ScalarType.Float64)));
        Assert.Contains("RealNvp.LogProb", rank.Message);
        var dtype = Assert.Throws<ArgumentException>(() => flow.Inverse(zeros([3, 4], ScalarType.Float32)));
        Assert.Contains("dtype Float32; this flow was built in Float64", dtype.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => flow.Sample(0));
        var layer = Assert.Throws<ArgumentOutOfRangeException>(() => flow.LayerLogProb(5, zeros([1, 4], ScalarType.Float64)));
        Assert.Contains("must be in 0..4", layer.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => flow.PartialFlow(-1));
    }

    [Fact]
    public void NonFiniteInputIsReportedAsBadInput()
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 3, Seed = 1 });
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.0, double.NaN, 1.0, 2.0, 3.0, double.PositiveInfinity }, ScalarType.Float64).reshape(2, 3);
        var e = Assert.Throws<ArgumentException>(() => flow.LogProb(x));
        Assert.Contains("RealNvp.LogProb: state contains 2 non-finite value(s)", e.Message);
    }

    [Fact]
    public void ANonFiniteWeightIsCaughtAtItsLayer()
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 4, Seed = 1 });
        using (no_grad())
            flow.Couplings[3].T.Layers[1].weight![0, 0].fill_(double.NaN);
        using var scope = NewDisposeScope();
        var e = Assert.Throws<FlowNumericsException>(() => flow.Sample(10, new Generator(1, CPU)));
        // (Layer 3 acts on all four coordinates with these masks; layer 2 acts on none, so its weights are never used.)
        Assert.Equal(3, e.Layer);
        Assert.Contains("RealNvp.Sample: layer 3 produced", e.Message);
        Assert.Contains("non-finite output", e.Message);

        // Without sentinels the NaN propagates silently: that is what the sentinels are for.
        using var unguarded = new RealNvp(new RealNvpOptions { Dimension = 4, Seed = 1, CheckNumerics = false });
        using (no_grad())
            unguarded.Couplings[3].T.Layers[1].weight![0, 0].fill_(double.NaN);
        var (x, _) = unguarded.Sample(10, new Generator(1, CPU));
        Assert.True(x.isnan().any().item<bool>());
    }

    [Fact]
    public void ALogDetAboveTheTanhBoundIsReported()
    {
        using var scope = NewDisposeScope();
        var sentinel = new NumericSentinel("test");
        var output = zeros([2, 3], ScalarType.Float64);
        sentinel.Layer(0, output, tensor(new[] { 0.5, -1.5 }, ScalarType.Float64), tensor(2.0, ScalarType.Float64));
        sentinel.Layer(1, output, tensor(new[] { 0.5, 2.5 }, ScalarType.Float64), tensor(2.0, ScalarType.Float64));
        var e = Assert.Throws<FlowNumericsException>(() => sentinel.ThrowIfFailed());
        Assert.Equal(1, e.Layer);
        Assert.Contains("|log det| = 2.5, above the analytic bound |A| = 2", e.Message);
    }
}
