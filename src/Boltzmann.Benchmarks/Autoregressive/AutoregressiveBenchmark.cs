using Boltzmann.Targets.Spins;
using Boltzmann.Physics.CurieWeiss;
using Boltzmann.Autoregressive;
using System.Diagnostics;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Learning.Training;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.Autoregressive;

/// <summary>
/// Throughput of an architecture at the paper's size (N = 200): ancestral sampling, teacher-forced log-probability,
/// log-probability with back-propagation, and complete variational training steps (sample + ln Q + backward + Adam). CW_N and CW_inf are built for the Curie-Weiss model (J = 1, h = 0), the
/// others for one SK instance (J = 1, h = 0) drawn from <paramref name="seed"/>; beta = 1. Each phase is warmed up
/// once and then repeated until at least <c>seconds</c> of wall time have passed. The model is built and trained in
/// <c>dtype</c> (float32 by default, the training precision of the pipelines; float64 as the switch).
/// </summary>
/// <remarks>
/// <c>threads</c> sets TorchSharp's intra-op thread count for the run (restored afterwards). Measured on the shared
/// 2-core development machines: with 2 threads while other processes compete for the cores, libtorch's spinning worker
/// threads slowed small-tensor loops (ancestral sampling) by up to ~100x; 1 thread gave stable numbers.
/// </remarks>
public static class AutoregressiveBenchmark
{
    public static AutoregressiveThroughput Run(
        AutoregressiveArchitecture architecture, int n = 200, long batch = 1000, double seconds = 2.0,
        Device? device = null, ulong seed = 1, int? threads = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Benchmark: N must be >= 1.");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "Benchmark: the batch size must be >= 1.");
        if (!(seconds > 0) || !double.IsFinite(seconds)) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Benchmark: seconds must be finite and > 0.");
        if (threads is < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Benchmark: threads must be >= 1.");
        device ??= CPU;
        int previousThreads = torch.get_num_threads();
        if (threads is int t) torch.set_num_threads(t);
        try
        {
            return Measure(architecture, n, batch, seconds, device, seed, dtype);
        }
        finally
        {
            if (threads is not null) torch.set_num_threads(previousThreads);
        }
    }

    private static AutoregressiveThroughput Measure(AutoregressiveArchitecture architecture, int n, long batch, double seconds, Device device, ulong seed, ScalarType dtype)
    {
        SkInstance hamiltonian;
        if (architecture.RequiresCurieWeiss)
            hamiltonian = CurieWeissPairwise.Create(n, 1.0, 0.0);
        else
        {
            var rng = RandomStreams.For(seed, "autoregressive-benchmark");
            hamiltonian = SkInstance.Generate(n, ref rng);
        }
        using var model = architecture.Create(hamiltonian, beta: 1.0, device: device, init: new Generator(seed, CPU), dtype: dtype);
        var generator = new Generator(seed, device);

        Tensor x;
        using (var keep = NewDisposeScope())
        {
            x = model.Sample(batch, generator).Samples.MoveToOuterDisposeScope();
        }

        double sampling = Rate(batch, seconds, () =>
        {
            using var scope = NewDisposeScope();
            model.Sample(batch, generator);
        });
        double logProb = Rate(batch, seconds, () =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.LogProb(x);
        });
        double? gradient = null;
        if (model.TrainableParameterCount > 0)
        {
            gradient = Rate(batch, seconds, () =>
            {
                using var scope = NewDisposeScope();
                model.zero_grad();
                model.LogProb(x).mean().backward();
            });
        }
        x.Dispose();
        // Counted before the Trainer takes the model over: its dtype conversion replaces buffers (e.g. the SK networks'
        // boolean masks) that the count properties read through cached references.
        long parameters = model.ParameterCount, trainable = model.TrainableParameterCount;
        (double Wall, double Cpu)? training = trainable > 0 ? TrainingRate(model, hamiltonian, batch, seconds, device, seed) : null;
        return new AutoregressiveThroughput(model.Architecture, n, batch, parameters, trainable,
            sampling, logProb, gradient, torch.get_num_threads(), training?.Wall, dtype.ToString(), training?.Cpu);
    }

    /// <summary>
    /// Variational training steps per second at beta = 1 (<see cref="VariationalObjective"/> + Adam through the shared
    /// <see cref="Trainer"/>, checkpoints in a temporary folder, only the final one written): one timed warm-up step sets the
    /// number of steps that fills about <paramref name="seconds"/>; the rate is steps / the trainer's step time, and
    /// steps / the process CPU time of the run (which includes the trainer's one checkpoint write).
    /// </summary>
    private static (double Wall, double Cpu) TrainingRate(AutoregressiveModel model, SkInstance hamiltonian, long batch, double seconds, Device device, ulong seed)
    {
        using var energy = new PairwiseSpinTarget(hamiltonian, 1.0, device);
        var objective = new VariationalObjective(model, energy, batch);
        var generator = new Generator(seed + 1, device);
        var clock = Stopwatch.StartNew();
        using (var warm = NewDisposeScope())
        {
            model.zero_grad();
            objective.Step(1.0, generator).Loss.backward();
        }
        double first = Math.Max(1e-6, clock.Elapsed.TotalSeconds);
        long steps = Math.Clamp((long)Math.Ceiling(seconds / first), 2, 1_000_000);
        string root = Directory.CreateTempSubdirectory("arnn-bench-").FullName;
        try
        {
            var options = new TrainingOptions { Steps = steps, LearningRate = 1e-3, Device = device, DType = model.DType, CheckpointInterval = steps, LogInterval = steps };
            using var trainer = new Trainer(model, options, root);
            trainer.RegisterGenerator("ancestral-sampling", generator);
            using var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var result = trainer.Run(_ => objective.Step(1.0, generator));
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
            return (result.StepsThisRun / Math.Max(1e-9, result.Elapsed.TotalSeconds), result.StepsThisRun / Math.Max(1e-9, cpu));
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    /// <summary>Configurations per second of <paramref name="work"/> (one warm-up call, then repeated for at least <paramref name="seconds"/>).</summary>
    private static double Rate(long batch, double seconds, Action work)
    {
        work();
        long calls = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            work();
            calls++;
        } while (clock.Elapsed.TotalSeconds < seconds);
        return calls * batch / clock.Elapsed.TotalSeconds;
    }
}
