using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// The comparisons every fused-kernel test makes: ln Q and the gradient of every learned weight under a non-uniform
/// loss Σ w·ln Q, through the fused kernel or the libtorch composition of the same network.
/// </summary>
internal static class FusedKernelComparison
{
    public static (Tensor LogQ, Dictionary<string, Tensor> Gradients) LossAndGradients(AutoregressiveModel model, Tensor x, Tensor weights, bool fusedKernel)
    {
        model.FusedKernel = fusedKernel;
        model.zero_grad();
        var logQ = model.LogProb(x);
        logQ.mul(weights).sum().backward();
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        return (logQ.detach(), grads);
    }

    /// <summary>
    /// The float32 kernel of <paramref name="single"/> against the float64 composition of <paramref name="reference"/>
    /// given the same (rounded) weights: ln Q to 1e-5 per spin, every gradient to 1e-4 of its largest entry.
    /// </summary>
    public static void AssertFloat32KernelMatchesFloat64Composition(AutoregressiveModel single, AutoregressiveModel reference,
                                                                    int n, int batch, ulong seed, string label)
    {
        using (no_grad())
            foreach (var ((_, p32), (_, p64)) in single.named_parameters().Zip(reference.named_parameters()))
                p64.copy_(p32);
        using var scope = NewDisposeScope();
        var g = new TorchSharp.torch.Generator(seed, CPU);
        var x = where(rand(batch, n, dtype: ScalarType.Float64, generator: g) < 0.5, 1.0, -1.0);
        var weights = rand(batch, dtype: ScalarType.Float64, generator: g) - 0.3;
        var (lnq32, grads32) = LossAndGradients(single, x.to_type(ScalarType.Float32), weights.to_type(ScalarType.Float32), fusedKernel: true);
        var (lnq64, grads64) = LossAndGradients(reference, x, weights, fusedKernel: false);
        double lnqDiff = (lnq32.to_type(ScalarType.Float64) - lnq64).abs().max().item<double>();
        Assert.True(lnqDiff < 1e-5 * n, $"{label}: float32 ln Q differs by {lnqDiff:E3}");
        foreach (var (parameter, grad) in grads64)
        {
            double scale = grad.abs().max().item<double>();
            double diff = (grads32[parameter].to_type(ScalarType.Float64) - grad).abs().max().item<double>();
            Assert.True(diff <= 1e-4 * Math.Max(scale, 1e-3), $"{label}: float32 gradient of {parameter} differs by {diff:E3} (scale {scale:G3})");
        }
    }
}
