using Boltzmann.Flows.Numerics;
using Boltzmann.Flows.Optimization;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Benchmarks;

/// <summary>
/// Reverse-KL training against an isotropic Gaussian target p(x) ∝ exp(−|x|²/(2σ²)): the workload of the flow
/// benchmark and a check that gradients flow through the whole model. Loss (Hartnett &amp; Mohseni 2020, Eq. 17
/// with βH = |x|²/(2σ²)): L = E_{z~N}[ln q(G(z)) + |G(z)|²/(2σ²)] = KL(q‖p) − ln Z_p, Z_p = (2πσ²)^{N/2},
/// so KL(q‖p) = L + (N/2) ln(2πσ²) is known exactly and vanishes at the optimum (an affine flow reaches it).
/// </summary>
public static class GaussianReverseKl
{
    /// <summary>ln Z_p = (N/2) ln(2πσ²) of the unnormalised Gaussian target.</summary>
    public static double LogPartitionFunction(int dimension, double sigma) => 0.5 * dimension * (StandardNormal.LogTwoPi + 2 * Math.Log(sigma));

    /// <summary>Per-sample ln q(x) − ln p(x) for samples of the flow (the summand of KL(q‖p)), differentiable.</summary>
    public static Tensor LogRatio(Tensor samples, Tensor logProb, double sigma)
    {
        using var scope = NewDisposeScope();
        long n = samples.shape[1];
        var logTarget = samples.square().sum(1).Times(-0.5 / (sigma * sigma)).PlusConstant(-LogPartitionFunction((int)n, sigma));
        return logProb.sub(logTarget).MoveToOuterDisposeScope();
    }

    /// <summary>One Adam step on a fresh batch of <paramref name="batch"/> flow samples; returns the batch estimate of KL(q‖p).</summary>
    public static double Step(RealNvp flow, AdamOptimizer optimizer, long batch, double sigma, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(sigma > 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "GaussianReverseKl.Step: sigma must be finite and > 0.");
        using var scope = NewDisposeScope();
        optimizer.ZeroGrad();
        var (x, logProb) = flow.Sample(batch, generator);
        var loss = LogRatio(x, logProb, sigma).mean();
        loss.backward();
        optimizer.Step();
        return loss.to_type(ScalarType.Float64).item<double>();
    }
}
