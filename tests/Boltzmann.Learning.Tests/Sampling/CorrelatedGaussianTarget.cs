using Boltzmann.Learning.Targets;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Sampling;

/// <summary>
/// A correlated Gaussian target on ℝ³: (x₀, x₁) with unit variances and correlation ρ, and an independent x₂ with
/// variance σ₂². ln p~(x) = −½ xᵀ Σ⁻¹ x, so ⟨x₀²⟩ = 1, ⟨x₀x₁⟩ = ρ, ⟨x₂²⟩ = σ₂² in closed form.
/// </summary>
internal sealed class CorrelatedGaussianTarget(double rho, double sigma2, ScalarType dtype = ScalarType.Float64) : ITarget
{
    public double Rho { get; } = rho;
    public double Sigma2 { get; } = sigma2;
    public long[] EventShape { get; } = [3];
    public ScalarType Dtype { get; } = dtype;
    public Device Device { get; } = CPU;

    public Tensor LogProb(Tensor x)
    {
        using var scope = NewDisposeScope();
        double d = 1 - Rho * Rho;
        var x0 = x.select(1, 0); var x1 = x.select(1, 1); var x2 = x.select(1, 2);
        var q = (x0.square() + x1.square() - 2 * Rho * x0 * x1) / d + x2.square() / (Sigma2 * Sigma2);
        return (-0.5 * q).MoveToOuterDisposeScope();
    }
}
