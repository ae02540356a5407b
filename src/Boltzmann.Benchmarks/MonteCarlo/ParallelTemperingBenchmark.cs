using System.Diagnostics;
using System.Runtime.Intrinsics;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using Boltzmann.MonteCarlo;

namespace Boltzmann.Benchmarks.MonteCarlo;

/// <summary>Result of <see cref="ParallelTemperingBenchmark.Run"/>.</summary>
/// <param name="N">Spins.</param>
/// <param name="Temperatures">Ladder size R.</param>
/// <param name="Chains">Independent chains C.</param>
/// <param name="TMin">Coldest temperature of the geometric ladder.</param>
/// <param name="TMax">Hottest temperature.</param>
/// <param name="Sweeps">Timed sweeps (after warm-up).</param>
/// <param name="ElapsedSeconds">Timed wall-clock seconds.</param>
/// <param name="FlipAttempts">Timed single-spin flip attempts (Sweeps x N x R x C).</param>
/// <param name="FlipAttemptsPerSecond">The headline figure.</param>
/// <param name="AcceptanceRate">Accepted / attempted flips over the timed part, all temperatures.</param>
/// <param name="MeanSwapAcceptance">Exchange acceptance averaged over pairs and chains.</param>
/// <param name="ThreadsUsed">Threads kept busy by the sampler.</param>
/// <param name="ProcessorCount">Processors visible to the process.</param>
/// <param name="SimdWidthBits">Width of the SIMD field update (512, 256, 128 or 64 for scalar).</param>
/// <param name="AllocatedBytesPerSweep">Managed bytes allocated per timed sweep (all threads).</param>
/// <param name="CpuSeconds">Processor time the whole process used during the timed part.</param>
/// <param name="FlipAttemptsPerCpuSecond">
/// Flip attempts per processor-second: the per-core speed. On a machine shared with other work the wall-clock
/// figure drops while this one stays roughly put, so comparing them tells contention from a slow kernel.
/// </param>
public sealed record ParallelTemperingBenchmarkResult(
    int N, int Temperatures, int Chains, double TMin, double TMax,
    long Sweeps, double ElapsedSeconds, long FlipAttempts, double FlipAttemptsPerSecond,
    double AcceptanceRate, double MeanSwapAcceptance, int ThreadsUsed, int ProcessorCount,
    int SimdWidthBits, double AllocatedBytesPerSweep, double CpuSeconds, double FlipAttemptsPerCpuSecond)
{
    public override string ToString() =>
        $"PT SK N={N}, R={Temperatures} (T {TMin}..{TMax} geometric), C={Chains}: {FlipAttemptsPerSecond / 1e6:F1} M flip attempts/s " +
        $"({Sweeps} sweeps in {ElapsedSeconds:F2} s, {ThreadsUsed}/{ProcessorCount} threads, SIMD {SimdWidthBits} bit), " +
        $"{FlipAttemptsPerCpuSecond / 1e6:F1} M/s per busy core, flip acceptance {AcceptanceRate:P1}, swap acceptance {MeanSwapAcceptance:P1}, {AllocatedBytesPerSweep:F0} B allocated/sweep";
}

/// <summary>
/// Throughput benchmark of <see cref="ParallelTempering"/> on a random SK instance (J = 1, h = 0), for the
/// Bench target. The geometric ladder defaults to T = 0.2..2.0, which spans the glass transition T = 1;
/// the flip acceptance (and so the cost per attempt) depends on it and is reported alongside.
/// </summary>
public static class ParallelTemperingBenchmark
{
    public static ParallelTemperingBenchmarkResult Run(int n = 256, int temperatures = 20, int chains = 2, double seconds = 5,
        double tMin = 0.2, double tMax = 2.0, int maxDegreeOfParallelism = -1, ulong seed = 2026)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (!(seconds > 0) || !double.IsFinite(seconds)) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Benchmark duration must be a positive number of seconds.");
        var rng = RandomStreams.For(seed, "benchmark/sk-instance");
        var instance = SkInstance.Generate(n, ref rng);
        var ladder = temperatures == 1 ? TemperatureLadder.Explicit([tMin]) : TemperatureLadder.Geometric(tMin, tMax, temperatures);
        var pt = new ParallelTempering(instance, new ParallelTemperingOptions(ladder)
        {
            Chains = chains,
            Seed = seed,
            StageName = "benchmark/parallel-tempering",
            MaxDegreeOfParallelism = maxDegreeOfParallelism,
        });

        // Batches of about 20 ms, so the clock is read rarely and thread hand-offs are amortised.
        long attemptsPerSweep = (long)n * temperatures * chains;
        int batch = (int)Math.Clamp(1_000_000 / attemptsPerSweep, 1, 10_000);

        // Warm-up: lets tiered JIT settle and the walkers leave the random start.
        var warm = Stopwatch.StartNew();
        double warmSeconds = Math.Min(1.0, seconds / 5);
        while (warm.Elapsed.TotalSeconds < warmSeconds) pt.Sweep(batch);

        long sweeps0 = pt.SweepsDone, accepted0 = pt.AcceptedFlips, attempts0 = pt.FlipAttempts;
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds) pt.Sweep(batch);
        sw.Stop();
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;

        long sweeps = pt.SweepsDone - sweeps0;
        long attempts = pt.FlipAttempts - attempts0;
        double elapsed = sw.Elapsed.TotalSeconds;
        double swap = 0;
        int pairs = 0;
        for (int c = 0; c < chains; c++)
            for (int k = 0; k + 1 < temperatures; k++, pairs++) swap += pt.SwapAcceptanceRate(c, k);
        int simd = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 64;
        return new ParallelTemperingBenchmarkResult(
            n, temperatures, chains, tMin, tMax, sweeps, elapsed, attempts, attempts / elapsed,
            (double)(pt.AcceptedFlips - accepted0) / attempts, pairs > 0 ? swap / pairs : double.NaN,
            pt.ThreadsInUse, Environment.ProcessorCount, simd, (double)allocated / sweeps, cpu, attempts / cpu);
    }
}
