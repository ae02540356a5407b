using Boltzmann.Flows.Diagnostics;
using Boltzmann.Flows.Hierarchical;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>
/// NeuralRG flows (Li &amp; Wang 2018) beyond the shared contract suite: log-det against the autograd Jacobian at
/// L = 4 (16 x 16), the translation property of the MERA and TEBD structures, the identity start and equal parameter
/// counts of MERA and TEBD.
/// </summary>
public class NeuralRgFlowTests
{
    [Theory]
    [InlineData(NeuralRgArchitecture.Mera)]
    [InlineData(NeuralRgArchitecture.Tebd)]
    public void LogDet_matches_the_autograd_Jacobian_at_L4(NeuralRgArchitecture architecture)
    {
        using var flow = FlowRegistry.NewNeuralRg(4, architecture, ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        var z = randn([6, 4, 4], ScalarType.Float64, generator: generator).mul(1.5);
        var check = FlowDiagnostics.Check(flow, z, jacobianMaxDimension: 16);
        Assert.NotNull(check.MaxJacobianLogDetError);
        Assert.True(check.MaxJacobianLogDetError <= 1e-10, $"log-det differs from ln|det J| by {check.MaxJacobianLogDetError:E3}");
        using (no_grad())
        {
            var (_, logDet) = flow.Forward(z);
            var values = logDet.data<double>().ToArray();
            Assert.True(values.Max() - values.Min() > 1e-2, "log-dets barely vary: the check would not bite");
        }
    }

    /// <summary>
    /// With S scales every layer's block origins are invariant under shifts by 2^S, so shifting x by one block period
    /// shifts the latent field z = G^{-1}(x) by the same amount (and leaves ln q unchanged); a shift by one site
    /// does not (the hierarchy is not invariant under it), which shows the test can fail.
    /// </summary>
    [Theory]
    [InlineData(NeuralRgArchitecture.Mera, 8, 2, 4)]
    [InlineData(NeuralRgArchitecture.Mera, 4, 1, 2)]
    [InlineData(NeuralRgArchitecture.Tebd, 8, 3, 2)]
    public void Shifting_x_by_a_block_period_shifts_the_latents(NeuralRgArchitecture architecture, int l, int depth, int period)
    {
        using var flow = FlowRegistry.NewNeuralRg(l, architecture, ScalarType.Float64, depth);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var generator = new Generator(9, CPU);
        var x = randn([5, l, l], ScalarType.Float64, generator: generator);
        var (z, logDet) = flow.Inverse(x);
        foreach (var (dr, dc) in new[] { (period, 0), (0, period), (period, period) })
        {
            var (zs, logDetShifted) = flow.Inverse(x.roll([dr, dc], [1, 2]));
            double zError = zs.sub(z.roll([dr, dc], [1, 2])).abs().max().item<double>();
            double ldError = logDetShifted.sub(logDet).abs().max().item<double>();
            Assert.True(zError < 1e-10 && ldError < 1e-10, $"shift ({dr}, {dc}): |dz| = {zError:E3}, |d logdet| = {ldError:E3}");
        }
        var (zOne, _) = flow.Inverse(x.roll([1, 0], [1, 2]));
        Assert.True(zOne.sub(z.roll([1, 0], [1, 2])).abs().max().item<double>() > 1e-3, "a one-site shift also commutes: the test would not bite");
    }

    [Fact]
    public void Default_options_start_as_the_identity_and_MERA_and_TEBD_have_equal_parameter_counts()
    {
        using var mera = NeuralRgFlow.Create(new NeuralRgOptions { L = 8 });
        using var tebd = NeuralRgFlow.Create(new NeuralRgOptions { L = 8, Architecture = NeuralRgArchitecture.Tebd });
        long Count(TorchSharp.torch.nn.Module m) => m.parameters().Sum(p => p.numel());
        Assert.Equal(Count(mera), Count(tebd));
        Assert.Equal(6, mera.LayerCount); // log2 8 = 3 scales x (disentangler + decimator)
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var generator = new Generator(3, CPU);
        var z = randn([4, 8, 8], ScalarType.Float64, generator: generator);
        var (x, logDet) = mera.Forward(z);
        Assert.Equal(0.0, x.sub(z).abs().max().item<double>());
        Assert.Equal(0.0, logDet.abs().max().item<double>());
    }

    [Theory]
    [InlineData(6)]
    [InlineData(12)]
    [InlineData(1)]
    public void Rejects_non_power_of_two_sizes(int l) =>
        Assert.Throws<ArgumentException>(() => NeuralRgFlow.Create(new NeuralRgOptions { L = l }));
}
