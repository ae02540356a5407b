using Boltzmann.Flows.Diagnostics;
using Boltzmann.Flows.Lattice;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests.Lattice;

/// <summary>
/// Symmetries and shape rules of the checkerboard conv flow (Albergo et al. 2019; Nicoli et al. PRL 2021) in float64:
/// translations of the torus that preserve the checkerboard commute with G (circular padding), a unit shift maps G
/// to the flow of swapped parities, the Z2-equivariant flow is odd, G(−z) = −G(z), with q(φ) = q(−φ); the log-det
/// equals ln|det J| of the autograd Jacobian on a 4 x 4 lattice (16 x 16 Jacobian); q integrates to one; shapes the
/// checkerboard cannot take are rejected with the shape in the message.
/// </summary>
public class LatticeFlowSymmetryTests
{
    private static NormalizingFlow Flow(int l, int t, bool z2, ulong seed = 5, int couplings = 6) =>
        LatticeFlow.Create(new LatticeFlowOptions { L = l, T = t, Couplings = couplings, OutputScale = 1.0, Z2Equivariant = z2, Seed = seed });

    private static double MaxDiff(Tensor a, Tensor b) => a.sub(b).abs().max().item<double>();

    [Theory]
    [InlineData(8, 4, false, 1, 1)]
    [InlineData(8, 4, false, 2, 0)]
    [InlineData(6, 8, true, 0, 2)]
    [InlineData(64, 8, false, 3, 5)]
    public void CheckerboardPreservingShiftsCommuteWithTheFlow(int l, int t, bool z2, long dx, long dt)
    {
        using var flow = Flow(l, t, z2);
        using var scope = NewDisposeScope();
        using var g = new Generator(11, CPU);
        var z = randn([5, l, t], ScalarType.Float64, generator: g);
        long[] shift = [dx, dt], dims = [1, 2];
        using var _ = no_grad();
        var (x, logDet) = flow.Forward(z);
        var (xs, logDetS) = flow.Forward(roll(z, shift, dims));
        Assert.True(MaxDiff(xs, roll(x, shift, dims)) < 1e-10, $"G(shift z) != shift G(z): {MaxDiff(xs, roll(x, shift, dims)):E2}");
        Assert.True(MaxDiff(logDetS, logDet) < 1e-10);
        // Not vacuous: the flow moves the field far from the identity and the shift changes the field.
        Assert.True(MaxDiff(x, z) > 0.1);
        Assert.True(MaxDiff(roll(x, shift, dims), x) > 0.1);
    }

    [Fact]
    public void UnitShiftMapsTheFlowToTheSameWeightsWithSwappedParities()
    {
        // A shift by one site exchanges the two sublattices: G_p(shift z) = shift G_{1-p}(z) where G_{1-p} has the same
        // conditioner weights acting on the opposite parity in every layer.
        using var flow = Flow(4, 6, z2: false, couplings: 1);
        using var swapped = LatticeFlow.Create(new LatticeFlowOptions { L = 4, T = 6, Couplings = 2, OutputScale = 1.0, Seed = 5 });
        // swapped's second layer has parity 1; copy layer 0's weights into it and compare with a one-layer flow of parity 1.
        using var scope = NewDisposeScope();
        using var g = new Generator(12, CPU);
        var z = randn([3, 4, 6], ScalarType.Float64, generator: g);
        long[] shift = [1, 0], dims = [1, 2];
        using var _ = no_grad();
        var layer0 = (CheckerboardAffineCoupling)flow.Layers[0];
        var layer1 = (CheckerboardAffineCoupling)swapped.Layers[1];
        var source = layer0.state_dict();
        foreach (var (name, p) in layer1.named_parameters()) p.copy_(source[name]);
        var (x0, _) = layer0.Forward(roll(z, shift, dims));
        var (x1, _) = layer1.Forward(z);
        Assert.True(MaxDiff(x0, roll(x1, shift, dims)) < 1e-10);
    }

    [Theory]
    [InlineData(6, 6)]
    [InlineData(64, 8)]
    public void Z2EquivariantFlowIsOddAndItsDensityEven(int l, int t)
    {
        using var flow = Flow(l, t, z2: true);
        using var plain = Flow(l, t, z2: false);
        using var scope = NewDisposeScope();
        using var g = new Generator(13, CPU);
        var z = randn([6, l, t], ScalarType.Float64, generator: g);
        using var _ = no_grad();
        var (x, logDet) = flow.Forward(z);
        var (xm, logDetM) = flow.Forward(z.neg());
        Assert.True(MaxDiff(xm, x.neg()) < 1e-10, $"G(-z) != -G(z): {MaxDiff(xm, x.neg()):E2}");
        Assert.True(MaxDiff(logDetM, logDet) < 1e-10);
        var phi = randn([6, l, t], ScalarType.Float64, generator: g);
        Assert.True(MaxDiff(flow.LogProb(phi), flow.LogProb(phi.neg())) < 1e-10);
        // The plain flow is not odd (so the test above can fail).
        var (px, _) = plain.Forward(z);
        var (pxm, _) = plain.Forward(z.neg());
        Assert.True(MaxDiff(pxm, px.neg()) > 1e-3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogDetEqualsTheAutogradJacobianOnA4x4Lattice(bool z2)
    {
        using var flow = Flow(4, 4, z2);
        using var scope = NewDisposeScope();
        using var g = new Generator(14, CPU);
        var z = randn([4, 4, 4], ScalarType.Float64, generator: g).mul(1.5);
        var check = FlowDiagnostics.Check(flow, z, jacobianMaxDimension: 16);
        Assert.NotNull(check.MaxJacobianLogDetError);
        Assert.True(check.MaxJacobianLogDetError < 1e-10, $"log-det vs ln|det J|: {check.MaxJacobianLogDetError:E2}");
        Assert.True(check.MaxRoundTripError < 1e-10);
        using var _ = no_grad();
        var values = flow.Forward(z).LogDet.data<double>().ToArray();
        Assert.True(values.Max() - values.Min() > 1e-2, "log-dets barely vary; the check would not bite");
    }

    [Fact]
    public void DensityIntegratesToOne()
    {
        // ∫ q = E_{u ~ N(0, σ² I)}[q(u) / N(u; σ²)] on a 2 x 2 lattice (4 dims), σ = 1.5 covering q's tails; 4 standard errors.
        using var flow = Flow(2, 2, z2: false, couplings: 4);
        using var scope = NewDisposeScope();
        using var g = new Generator(15, CPU);
        const int n = 200_000;
        const double sigma = 1.5;
        using var _ = no_grad();
        var u = randn([n, 2, 2], ScalarType.Float64, generator: g).mul(sigma);
        var logProposal = u.square().sum([1, 2]).mul(-0.5 / (sigma * sigma)).sub(4 * Math.Log(sigma * Math.Sqrt(2 * Math.PI)));
        var w = flow.LogProb(u).sub(logProposal).exp();
        double mean = w.mean().item<double>(), se = w.std().item<double>() / Math.Sqrt(n);
        Assert.True(Math.Abs(mean - 1) < 4 * se, $"∫q = {mean:F5} ± {se:F5}");
        Assert.True(se < 0.02, $"standard error {se} too large for a meaningful check");
    }

    [Theory]
    [InlineData(5, 8, "odd side")]
    [InlineData(8, 3, "odd side")]
    [InlineData(1, 8, "too small")]
    public void ShapesTheCheckerboardCannotTakeAreRejected(int l, int t, string why)
    {
        var e = Assert.Throws<ArgumentException>(() => LatticeFlow.Create(new LatticeFlowOptions { L = l, T = t }));
        Assert.Contains($"{l} x {t}", e.Message);
        Assert.Contains(why, e.Message);
    }
}
