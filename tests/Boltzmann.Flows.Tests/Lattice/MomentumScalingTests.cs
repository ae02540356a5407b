using Boltzmann.Flows.Lattice;
using Boltzmann.Physics.Exact;
using Boltzmann.Targets.Lattice;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests.Lattice;

/// <summary>
/// <see cref="MomentumScaling"/>: the real Fourier basis is orthonormal, the layer commutes with lattice translations
/// and is odd, and with e^{s} = (2a_k)^{−1/2}, a_k = 1 − 2κ Σ_μ cos k_μ = 1 − 4κ + κ p̂² (λ = 0), the one-layer flow is
/// the free field exactly: ln q(φ) − ln p~(φ) = −ln Z for every φ, with ln Z the Gaussian determinant.
/// </summary>
public class MomentumScalingTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(6, 4)]
    [InlineData(16, 8)]
    public void FourierBasisIsOrthonormal(int l, int t)
    {
        var (basis, level, levels) = MomentumScaling.FourierBasis(l, t);
        using var u = tensor(basis, [l * t, l * t], dtype: ScalarType.Float64);
        using var gram = u.t().matmul(u);
        using var identity = eye(l * t, dtype: ScalarType.Float64);
        Assert.True(gram.sub(identity).abs().max().item<double>() < 1e-12);
        Assert.Equal(l * t, level.Length);
        Assert.True(levels.Length < l * t && levels[0] == 0);
    }

    [Fact]
    public void OneLayerIsTheExactFreeField()
    {
        const int l = 6, t = 4;
        const double kappa = 0.1;
        using var layer = new MomentumScaling("m", [l, t], ScalarType.Float64);
        using (no_grad())
        {
            var s = layer.Levels.Select(p2 => -0.5 * Math.Log(2 * (1 - 4 * kappa + kappa * p2))).ToArray();
            layer.LogScale.copy_(tensor(s, dtype: ScalarType.Float64));
        }
        using var flow = new NormalizingFlow("free", new Boltzmann.Flows.Priors.StandardNormalPrior([l, t], ScalarType.Float64), [("m", layer)]);
        using var target = new Phi4Target(l, t, kappa, 0.0);
        using var g = new Generator(5, CPU);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (x, logQ) = flow.Sample(256, g);
        var logW = target.LogProb(x).sub(logQ);
        double exact = FreeScalarField.LnZ(l, t, kappa);
        Assert.True(logW.sub(exact).abs().max().item<double>() < 1e-10, $"ln p~ − ln q spread {logW.min().item<double>()} .. {logW.max().item<double>()} vs ln Z {exact}");
    }

    [Fact]
    public void CommutesWithTranslationsAndIsOdd()
    {
        using var g = new Generator(3, CPU);
        using var layer = new MomentumScaling("m", [6, 4], ScalarType.Float64, init: g);
        using var scope = NewDisposeScope();
        var z = randn([3, 6, 4], ScalarType.Float64, generator: g);
        var (x, ld) = layer.Forward(z);
        var (xs, lds) = layer.Forward(z.roll([1, 3], [1, 2]));
        Assert.True(xs.sub(x.roll([1, 3], [1, 2])).abs().max().item<double>() < 1e-12);
        var (xm, _) = layer.Forward(z.neg());
        Assert.True(xm.add(x).abs().max().item<double>() < 1e-12);
        var (back, ldi) = layer.Inverse(x);
        Assert.True(back.sub(z).abs().max().item<double>() < 1e-12);
        Assert.True(ld.add(ldi).abs().max().item<double>() < 1e-12);
    }
}
