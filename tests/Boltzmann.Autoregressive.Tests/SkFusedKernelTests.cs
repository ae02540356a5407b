using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Models;
using Boltzmann.Physics.Sk;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// The fused SK branch kernel (SkBranchKernel through SkBranchFunction) against the same network composed of libtorch
/// operations (<see cref="SkReplicaNetwork.FusedKernel"/> = false): teacher-forced ln Q, every parameter gradient
/// (float64, to 1e-10) and ancestral sampling (same draws). N = 23 runs both the 4-wide vector body and the scalar
/// tails of the rows.
/// </summary>
public class SkFusedKernelTests
{
    private const int N = 23, Batch = 17;

    private static SkReplicaNetwork Create(int k, SkInstance instance, double beta) =>
        k == 0 ? new SkRs(instance, beta) : new SkKRsb(instance, beta, k);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void GradientsEqualTheAutogradComposition(int k)
    {
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, N);
        using var model = Create(k, instance, 1.1);
        ArchitectureCases.Roughen(model, 0.8, 5);
        using var scope = NewDisposeScope();
        var g = new TorchSharp.torch.Generator(3, CPU);
        var x = where(rand(Batch, N, dtype: ScalarType.Float64, generator: g) < 0.5, 1.0, -1.0);
        var weights = rand(Batch, dtype: ScalarType.Float64, generator: g) - 0.3; // a non-uniform loss, like the REINFORCE surrogate

        var (fusedLogQ, fused) = FusedKernelComparison.LossAndGradients(model, x, weights, fusedKernel: true);
        var (referenceLogQ, reference) = FusedKernelComparison.LossAndGradients(model, x, weights, fusedKernel: false);
        Assert.True(fusedLogQ.allclose(referenceLogQ, rtol: 0, atol: 1e-12), "ln Q differs");
        foreach (var (name, grad) in reference)
        {
            double scale = Math.Max(1.0, grad.abs().max().item<double>());
            double diff = fused[name].sub(grad).abs().max().item<double>();
            Assert.True(diff <= 1e-10 * scale, $"k = {k}: gradient of {name} differs by {diff:E3} (scale {scale:G3})");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void AncestralSamplingEqualsTheAutogradComposition(int k)
    {
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, N);
        using var model = Create(k, instance, 0.9);
        ArchitectureCases.Roughen(model, 0.8, 6);
        using var scope = NewDisposeScope();
        model.FusedKernel = true;
        var (xf, lf) = model.Sample(Batch, new TorchSharp.torch.Generator(11, CPU));
        model.FusedKernel = false;
        var (xr, lr) = model.Sample(Batch, new TorchSharp.torch.Generator(11, CPU));
        Assert.True(xf.eq(xr).all().item<bool>(), "samples differ");
        Assert.True(lf.allclose(lr, rtol: 0, atol: 1e-12), "ln Q of the samples differs");
        model.FusedKernel = true;
        Assert.True(model.LogProb(xf).allclose(lf, rtol: 0, atol: 1e-11), "teacher-forced ln Q differs from the sampler's");
    }

    /// <summary>
    /// The float32 kernel (fast exp / log1p, 8-wide vectors: N = 45 runs full vectors, overlapped tails and scalar rows)
    /// against the float64 autograd composition with the same rounded parameters: ln Q to 1e-5 per configuration and
    /// every gradient to 1e-4 of its largest entry.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Float32KernelMatchesTheFloat64Composition(int k)
    {
        const int n = 45;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n);
        using SkReplicaNetwork single = k == 0 ? new SkRs(instance, 1.1, dtype: ScalarType.Float32) : new SkKRsb(instance, 1.1, k, dtype: ScalarType.Float32);
        using var reference = Create(k, instance, 1.1);
        ArchitectureCases.Roughen(single, 0.8, 9);
        FusedKernelComparison.AssertFloat32KernelMatchesFloat64Composition(single, reference, n, Batch, seed: 4, label: $"k = {k}");
    }
}
