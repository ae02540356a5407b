using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// The fused CW_inf / 1P kernel (PrefixSumKernel through PrefixSumLogProbFunction, and its ancestral sampler) against
/// the same networks composed of libtorch operations (<see cref="AutoregressiveModel.FusedKernel"/> = false):
/// teacher-forced ln Q (to 1e-12), the gradient of every learned weight (float64, to 1e-10) under a non-uniform loss,
/// and the ln Q the sampler returns. N = 23 runs the 4-wide float64 vector body and the overlapped tail window, N = 3
/// the scalar rows; batch 37 runs 9 vector blocks of 4 samples and 1 scalar sample in the sampler.
/// </summary>
public class PrefixSumKernelTests
{
    private const int Batch = 37;

    [Theory]
    [InlineData("CW_inf", 23)]
    [InlineData("CW_inf", 3)]
    [InlineData("1P", 23)]
    [InlineData("1P", 3)]
    public void GradientsEqualTheAutogradComposition(string name, int n)
    {
        using var model = ArchitectureCases.Create(name, n, seed: 3);
        using var scope = NewDisposeScope();
        var g = new TorchSharp.torch.Generator(5, CPU);
        var x = where(rand(Batch, n, dtype: ScalarType.Float64, generator: g) < 0.5, 1.0, -1.0);
        x[0] = ones(n, dtype: ScalarType.Float64); // sgn(M) = +1 throughout, and M = 0 nowhere after the first spin
        var weights = rand(Batch, dtype: ScalarType.Float64, generator: g) - 0.3; // a non-uniform loss, like the REINFORCE surrogate
        weights[1] = tensor(0.0, dtype: ScalarType.Float64); // a zero loss gradient (skipped by the kernel)

        var (fusedLogQ, fused) = FusedKernelComparison.LossAndGradients(model, x, weights, fusedKernel: true);
        var (referenceLogQ, reference) = FusedKernelComparison.LossAndGradients(model, x, weights, fusedKernel: false);
        double lnqDiff = (fusedLogQ - referenceLogQ).abs().max().item<double>();
        Assert.True(lnqDiff <= 1e-12, $"{name}, N = {n}: ln Q differs by {lnqDiff:E3}");
        foreach (var (parameter, grad) in reference)
        {
            double scale = Math.Max(1.0, grad.abs().max().item<double>());
            double diff = (fused[parameter] - grad).abs().max().item<double>();
            Assert.True(diff <= 1e-10 * scale, $"{name}, N = {n}: gradient of {parameter} differs by {diff:E3} (scale {scale:G3})");
        }
    }

    [Theory]
    [InlineData("CW_inf", 23)]
    [InlineData("1P", 23)]
    [InlineData("CW_inf", 3)]
    public void SampledLogProbEqualsTheComposition(string name, int n)
    {
        using var model = ArchitectureCases.Create(name, n, seed: 4);
        using var scope = NewDisposeScope();
        model.FusedKernel = true;
        var (x, logq) = model.Sample(Batch, new TorchSharp.torch.Generator(12, CPU));
        Assert.Equal(ScalarType.Float64, x.dtype);
        Assert.True(x.abs().eq(1.0).all().item<bool>(), "the samples are not spins");
        Assert.True(x.std().item<double>() > 0.5, "the samples are constant");
        model.FusedKernel = false;
        double diff = (model.LogProb(x) - logq).abs().max().item<double>();
        Assert.True(diff <= 1e-12, $"{name}, N = {n}: the sampler's ln Q differs from the composition's teacher-forced ln Q by {diff:E3}");
    }

    /// <summary>
    /// The float32 kernel (fast exp / log1p, 8-wide vectors: N = 45 runs full vectors and the overlapped tail) against
    /// the float64 composition with the same rounded weights: ln Q to 1e-5 per spin, gradients to 1e-4 of the largest.
    /// </summary>
    [Theory]
    [InlineData("CW_inf")]
    [InlineData("1P")]
    public void Float32KernelMatchesTheFloat64Composition(string name)
    {
        const int n = 45;
        using var single = ArchitectureCases.Create(name, n, seed: 6, dtype: ScalarType.Float32);
        using var reference = ArchitectureCases.Create(name, n, seed: 6);
        FusedKernelComparison.AssertFloat32KernelMatchesFloat64Composition(single, reference, n, Batch, seed: 7, label: name);
    }
}
