using System.Diagnostics;
using Boltzmann.Flows.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Benchmarks;

/// <summary>
/// Micro-benchmarks of the real NVP flow at the paper's size (N = 256, batch 50, L = 4; Hartnett &amp; Mohseni 2020,
/// Appendix A.1, Adam with learning rate 1e-4): training steps per second of <see cref="GaussianReverseKl"/>
/// and sampling rate (samples with their log-probabilities, no gradients). Also a memory probe showing that the
/// batched, scoped tensor code leaks no native tensors over many steps.
/// </summary>
public static class RealNvpBenchmark
{
    /// <summary>Target width σ of the benchmark's Gaussian target.</summary>
    public const double TargetSigma = 1.5;

    /// <summary>Adam learning rate of the paper.</summary>
    public const double LearningRate = 1e-4;

    /// <summary>
    /// Times Adam steps of <see cref="GaussianReverseKl"/> (batch <paramref name="batch"/>) for <paramref name="seconds"/>,
    /// then sampling with log q (batch <paramref name="sampleBatch"/>, no gradients) for as long.
    /// <paramref name="threads"/> sets torch's intra-op thread count for the run (restored afterwards); null keeps
    /// the current setting. On a shared machine, libtorch's OpenMP threads can stall badly when other processes
    /// occupy the cores, so compare thread counts rather than trusting the default.
    /// </summary>
    public static RealNvpBenchmarkResult Run(int n = 256, int batch = 50, int layers = 4, double seconds = 2.0,
                                             ScalarType dtype = ScalarType.Float32, Device? device = null,
                                             int sampleBatch = 1000, ulong seed = 1, int? threads = null)
    {
        if (threads is < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "RealNvpBenchmark.Run: threads must be >= 1 (or null).");
        int previousThreads = get_num_threads();
        if (threads is int t) set_num_threads(t);
        try
        {
            return RunTimed(n, batch, layers, seconds, dtype, device, sampleBatch, seed);
        }
        finally
        {
            if (threads is not null) set_num_threads(previousThreads);
        }
    }

    private static RealNvpBenchmarkResult RunTimed(int n, int batch, int layers, double seconds, ScalarType dtype, Device? device,
                                                   int sampleBatch, ulong seed)
    {
        if (!(seconds > 0) || !double.IsFinite(seconds))
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "RealNvpBenchmark.Run: seconds must be finite and > 0.");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "RealNvpBenchmark.Run: batch must be >= 1.");
        if (sampleBatch < 1) throw new ArgumentOutOfRangeException(nameof(sampleBatch), sampleBatch, "RealNvpBenchmark.Run: sampleBatch must be >= 1.");
        device ??= CPU;
        using var flow = new RealNvp(new RealNvpOptions { Dimension = n, Layers = layers, Seed = seed, Dtype = dtype, Device = device });
        using var optimizer = new AdamOptimizer(flow.parameters(), LearningRate);
        using var generator = new Generator(seed, device);

        for (int i = 0; i < 5; i++) GaussianReverseKl.Step(flow, optimizer, batch, TargetSigma, generator);
        long steps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            GaussianReverseKl.Step(flow, optimizer, batch, TargetSigma, generator);
            steps++;
        }
        double trainingSeconds = clock.Elapsed.TotalSeconds;

        long samples = 0;
        using (no_grad())
        {
            for (int i = 0; i < 2; i++) DrawAndSync(flow, sampleBatch, generator);
            clock.Restart();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                DrawAndSync(flow, sampleBatch, generator);
                samples += sampleBatch;
            }
        }
        double samplingSeconds = clock.Elapsed.TotalSeconds;
        return new RealNvpBenchmarkResult(n, batch, layers, dtype.ToString(), get_num_threads(), steps, trainingSeconds,
                                          sampleBatch, samples, samplingSeconds);
    }

    /// <summary>
    /// Runs <paramref name="steps"/> training steps and reads resident memory and TorchSharp's live-tensor count
    /// every <paramref name="readEvery"/> steps (first reading after the first <paramref name="readEvery"/> steps,
    /// once Adam's state exists). The live-tensor count is exact: any undisposed tensor shows as growth.
    /// With <paramref name="forceCollection"/> a full GC and the finalizers run before each reading, so the RSS
    /// readings compare retained memory only (true native leaks); without it they show what a real training loop
    /// sees, including native memory that only finalizers would release (e.g. undisposed TorchSharp Scalars) and the
    /// managed heap's saw-tooth. Must run on one thread (the tensor statistics are per thread).
    /// </summary>
    public static MemoryTrace MeasureMemory(int steps, int n = 256, int batch = 50, int layers = 4, int readEvery = 250,
                                            bool forceCollection = true, ScalarType dtype = ScalarType.Float32,
                                            Device? device = null, ulong seed = 1)
    {
        if (steps < 2 * readEvery || readEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"RealNvpBenchmark.MeasureMemory: need readEvery >= 1 and steps >= 2 x readEvery (readEvery = {readEvery}).");
        device ??= CPU;
        using var flow = new RealNvp(new RealNvpOptions { Dimension = n, Layers = layers, Seed = seed, Dtype = dtype, Device = device });
        using var optimizer = new AdamOptimizer(flow.parameters(), LearningRate);
        using var generator = new Generator(seed, device);
        using var process = Process.GetCurrentProcess();
        var readings = new List<MemorySample>();
        for (int step = 1; step <= steps; step++)
        {
            GaussianReverseKl.Step(flow, optimizer, batch, TargetSigma, generator);
            if (step % readEvery == 0)
            {
                if (forceCollection)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                }
                process.Refresh();
                readings.Add(new MemorySample(step, process.WorkingSet64, DisposeScopeManager.Statistics.ThreadTotalLiveCount,
                                              GC.GetTotalMemory(forceFullCollection: false), GC.CollectionCount(0)));
            }
        }
        return new MemoryTrace(readings, forceCollection);
    }

    private static void DrawAndSync(RealNvp flow, int sampleBatch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var (x, logProb) = flow.Sample(sampleBatch, generator);
        // One host read per call, so asynchronous devices are timed to completion.
        _ = logProb.sum().to_type(ScalarType.Float64).item<double>();
        _ = x;
    }
}
