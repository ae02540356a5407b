using Boltzmann.Learning.Numerics;
using Boltzmann.Flows.Numerics;
using Boltzmann.Learning.Training;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>
/// Reverse-KL training against an isotropic Gaussian target p(x) ∝ exp(−|x|²/(2σ²)): the workload of the flow
/// check that gradients flow through the whole model, driven by the shared <see cref="Trainer"/>. Loss (Hartnett &amp; Mohseni 2020, Eq. 17
/// with βH = |x|²/(2σ²)): L = E_{z~N}[ln q(G(z)) + |G(z)|²/(2σ²)] = KL(q‖p) − ln Z_p, Z_p = (2πσ²)^{N/2},
/// so KL(q‖p) = L + (N/2) ln(2πσ²) is known exactly and vanishes at the optimum (an affine flow reaches it).
/// </summary>
internal static class GaussianReverseKl
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

    /// <summary>
    /// Trains <paramref name="flow"/> for <paramref name="steps"/> Adam steps on fresh batches of its own samples with
    /// the shared trainer (checkpoints in a throwaway directory); returns the last logged batch estimate of KL(q‖p).
    /// </summary>
    public static double Train(RealNvp flow, int steps, double learningRate, long batch, double sigma, Generator generator)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "GaussianReverseKl.Train: sigma must be finite and > 0.");
        var dir = Directory.CreateTempSubdirectory("gaussian-reverse-kl-").FullName;
        try
        {
            var options = new TrainingOptions { Steps = steps, LearningRate = learningRate, DType = flow.Dtype, CheckpointInterval = Math.Max(1, steps) };
            using var trainer = new Trainer(flow, options, dir);
            trainer.RegisterGenerator("sampler", generator);
            trainer.Resume();
            var result = trainer.Run(_ =>
            {
                var (x, logProb) = flow.Sample(batch, generator);
                return LogRatio(x, logProb, sigma).mean();
            });
            return result.Log.ToColumns().Loss[^1];
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
