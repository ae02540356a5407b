using System.Diagnostics;
using Boltzmann.Learning.Sampling;
using Boltzmann.Stages.NeuralRg.Evaluation;
using Boltzmann.Stages.NeuralRg.Training;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.NeuralRg;

/// <summary>One reading of <see cref="NeuralRgBenchmark"/>.</summary>
public sealed record NeuralRgBenchmarkResult(int L, int Batch, string Dtype, double TrainingStepsPerSecond, int Chains,
                                             int LeapfrogSteps, double LatentTrajectoriesPerSecond, double PhysicalTrajectoriesPerSecond);

/// <summary>
/// NeuralRG throughput (Li &amp; Wang 2018) on the real workload: reverse-KL training steps per second of the MERA flow
/// with the Z2 mixture through the shared Trainer (<see cref="NeuralRgTraining"/>, batch as given), and HMC trajectories
/// per second over a batch of chains in the latent space (the effective energy of eq. 6, force by autograd through the
/// flow) and on the physical field (eq. 7), eps = 0.2, 10 leapfrog steps as in the paper's code.
/// </summary>
public static class NeuralRgBenchmark
{
    public static NeuralRgBenchmarkResult Run(int l, int batch = 512, int epochs = 20, int chains = 64, int trajectories = 5,
                                              ScalarType dtype = ScalarType.Float32)
    {
        Boltzmann.Learning.Runtime.TorchThreads.EnsureConfigured();
        var settings = new NeuralRgTrainingSettings { L = l, Beta = Boltzmann.Physics.Exact.IsingExact.CriticalBeta, Epochs = epochs, Batch = batch, Dtype = dtype, LogInterval = 10, CheckpointInterval = 1_000_000 };
        using var training = new NeuralRgTraining(settings);
        var root = Path.Combine(Path.GetTempPath(), "neuralrg-bench-" + Guid.NewGuid().ToString("N"));
        double stepsPerSecond;
        try
        {
            var result = training.Run(root);
            stepsPerSecond = result.StepsThisRun / Math.Max(result.Elapsed.TotalSeconds, 1e-9);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        var options = new TensorHmcOptions(0.2, 10);
        double Rate(bool latent)
        {
            var positions = randn([chains, l, l], dtype);
            DualFieldHmc.Run(training.Target, latent ? training.Flow : null, ref positions, options, 1, seed: 1); // warm-up
            var clock = Stopwatch.StartNew();
            DualFieldHmc.Run(training.Target, latent ? training.Flow : null, ref positions, options, trajectories, seed: 2);
            double rate = trajectories / clock.Elapsed.TotalSeconds;
            positions.Dispose();
            return rate;
        }
        return new NeuralRgBenchmarkResult(l, batch, dtype.ToString(), stepsPerSecond, chains, options.LeapfrogSteps, Rate(latent: true), Rate(latent: false));
    }
}
