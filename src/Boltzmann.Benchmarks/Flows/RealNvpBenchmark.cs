using Boltzmann.Benchmarks.Cost;
using Boltzmann.Flows;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.Flows;

/// <summary>
/// Micro-benchmarks of the real NVP flow at the paper's size (N = 256, batch 50, L = 4; Hartnett &amp; Mohseni 2020,
/// Appendix A.1, Adam with learning rate 1e-4) on the real workload (<see cref="SkFlowWorkload"/>: the SK relaxation
/// target and the shared Trainer): training steps per second for the forward-KL (eq. 19) and reverse-KL (eq. 17)
/// objectives, and the sampling rate (samples with their log-probabilities, no gradients). Also a memory probe
/// showing that training holds no native memory step after step (live tensors and resident set stay flat).
/// </summary>
public static class RealNvpBenchmark
{
    /// <summary>Adam learning rate of the paper.</summary>
    public const double LearningRate = 1e-4;

    /// <summary>Untimed steps before the timed windows (at least; and at least <see cref="WarmupSeconds"/>).</summary>
    public const int WarmupSteps = 30;

    /// <summary>Untimed seconds before the timed windows: the first steps of a process (allocator, JIT, page faults) are slow.</summary>
    public const double WarmupSeconds = 1.0;

    /// <summary>Timed windows per figure; the figure is their median.</summary>
    public const int Windows = 5;

    /// <summary>
    /// Times forward-KL then reverse-KL training steps (batch <paramref name="batch"/>) for <paramref name="seconds"/>
    /// each (after <see cref="WarmupSteps"/> untimed steps and <see cref="WarmupSeconds"/>; <see cref="Windows"/> windows,
    /// median and spread), then sampling with log q (batch <paramref name="sampleBatch"/>, no gradients) for as long. <paramref name="threads"/> sets torch's intra-op thread count for the run (restored
    /// afterwards); null keeps the current setting. On a shared machine, libtorch's OpenMP threads can stall badly when
    /// other processes occupy the cores, so compare thread counts rather than trusting the default.
    /// </summary>
    public static RealNvpBenchmarkResult Run(int n = 256, int batch = 50, int layers = 4, double seconds = 2.0,
                                             ScalarType dtype = ScalarType.Float32, Device? device = null,
                                             int sampleBatch = 1000, ulong seed = 1, int? threads = null)
    {
        if (threads is < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "RealNvpBenchmark.Run: threads must be >= 1 (or null).");
        if (!(seconds > 0) || !double.IsFinite(seconds))
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "RealNvpBenchmark.Run: seconds must be finite and > 0.");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "RealNvpBenchmark.Run: batch must be >= 1.");
        if (sampleBatch < 1) throw new ArgumentOutOfRangeException(nameof(sampleBatch), sampleBatch, "RealNvpBenchmark.Run: sampleBatch must be >= 1.");
        Boltzmann.Learning.Runtime.NativeHeap.EnsureTuned();
        int previousThreads = get_num_threads();
        if (threads is int t) set_num_threads(t);
        try
        {
            device ??= CPU;
            var forward = TimeTraining(BenchmarkObjective.Forward, n, batch, layers, seconds, dtype, device, seed);
            var reverse = TimeTraining(BenchmarkObjective.Reverse, n, batch, layers, seconds, dtype, device, seed);
            var sampling = TimeSampling(n, layers, seconds, dtype, device, sampleBatch, seed);
            return new RealNvpBenchmarkResult(n, batch, layers, dtype.ToString(), get_num_threads(), reverse.Units, reverse.WallSeconds,
                                              sampleBatch, sampling.Units, sampling.WallSeconds, forward.Units, forward.WallSeconds)
            {
                Forward = forward, Reverse = reverse, Sampling = sampling,
            };
        }
        finally
        {
            if (threads is not null) set_num_threads(previousThreads);
        }
    }

    private static WindowedRate TimeTraining(BenchmarkObjective objective, int n, int batch, int layers, double seconds,
                                             ScalarType dtype, Device device, ulong seed)
    {
        using var workload = new SkFlowWorkload(n, batch, layers, dtype, device, seed, steps: 1_000_000_000);
        using var stop = new CancellationTokenSource();
        var recorder = new WindowedRate.Recorder(Windows, seconds / Windows, WarmupSeconds, WarmupSteps);
        try
        {
            workload.Trainer.Run(workload.Step(objective), (_, _) => { if (!recorder.Add(1)) stop.Cancel(); }, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        return recorder.Result();
    }

    private static WindowedRate TimeSampling(int n, int layers, double seconds, ScalarType dtype, Device device, int sampleBatch, ulong seed)
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = n, Layers = layers, Seed = seed, Dtype = dtype, Device = device });
        using var generator = new Generator(seed, device);
        using var _ = no_grad();
        return WindowedRate.Measure(() => { DrawAndSync(flow, sampleBatch, generator); return sampleBatch; },
                                    Windows, seconds / Windows, WarmupSeconds / 2, 3 * sampleBatch);
    }

    /// <summary>
    /// Runs <paramref name="steps"/> training steps of the real workload (shared Trainer, SK target, <paramref name="objective"/>)
    /// and reads resident memory and TorchSharp's live-tensor count every <paramref name="readEvery"/> steps (first reading
    /// after the first <paramref name="readEvery"/> steps, once Adam's state exists). The live-tensor count is exact: any
    /// undisposed tensor shows as growth. With <paramref name="forceCollection"/> a full GC and the finalizers run before
    /// each reading, so the RSS readings compare retained memory only (true native leaks); without it they show what a
    /// real training loop sees (the Trainer's own periodic collections included), with the managed heap's saw-tooth.
    /// Must run on one thread (the tensor statistics are per thread).
    /// </summary>
    public static MemoryTrace MeasureMemory(int steps, int n = 256, int batch = 50, int layers = 4, int readEvery = 250,
                                            bool forceCollection = true, ScalarType dtype = ScalarType.Float32,
                                            Device? device = null, ulong seed = 1, BenchmarkObjective objective = BenchmarkObjective.Reverse)
    {
        if (steps < 2 * readEvery || readEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"RealNvpBenchmark.MeasureMemory: need readEvery >= 1 and steps >= 2 x readEvery (readEvery = {readEvery}).");
        device ??= CPU;
        // One step more than measured, so the trainer's final checkpoint (a transient serialisation buffer) comes after the last reading.
        using var workload = new SkFlowWorkload(n, batch, layers, dtype, device, seed, steps + 1);
        using var process = Process.GetCurrentProcess();
        var readings = new List<MemorySample>();
        workload.Trainer.Run(workload.Step(objective), (completed, total) =>
        {
            if (completed % readEvery != 0 || completed > steps) return;
            readings.Add(MemorySample.Read(completed, process, forceCollection));
        });
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
