using System.Diagnostics;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Benchmarks;

/// <summary>
/// Throughput of an architecture at the paper's size (N = 200): ancestral sampling, teacher-forced log-probability,
/// and log-probability with back-propagation. CW_N and CW_inf are built for the Curie-Weiss model (J = 1, h = 0), the
/// others for one SK instance (J = 1, h = 0) drawn from <paramref name="seed"/>; beta = 1. Each phase is warmed up
/// once and then repeated until at least <c>seconds</c> of wall time have passed.
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
        Device? device = null, ulong seed = 1, int? threads = null)
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
            return Measure(architecture, n, batch, seconds, device, seed);
        }
        finally
        {
            if (threads is not null) torch.set_num_threads(previousThreads);
        }
    }

    private static AutoregressiveThroughput Measure(AutoregressiveArchitecture architecture, int n, long batch, double seconds, Device device, ulong seed)
    {
        SkInstance hamiltonian;
        if (architecture.RequiresCurieWeiss)
            hamiltonian = CurieWeissPairwise.Create(n, 1.0, 0.0);
        else
        {
            var rng = RandomStreams.For(seed, "autoregressive-benchmark");
            hamiltonian = SkInstance.Generate(n, ref rng);
        }
        using var model = architecture.Create(hamiltonian, beta: 1.0, device: device, init: new Generator(seed, CPU));
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
        return new AutoregressiveThroughput(model.Architecture, n, batch, model.ParameterCount, model.TrainableParameterCount,
            sampling, logProb, gradient, torch.get_num_threads());
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
