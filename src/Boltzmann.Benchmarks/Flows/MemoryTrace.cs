namespace Boltzmann.Benchmarks.Flows;

/// <summary>One reading of <see cref="RealNvpBenchmark.MeasureMemory"/>.</summary>
/// <param name="Step">Training steps completed.</param>
/// <param name="ResidentBytes">Process resident set size (native + managed).</param>
/// <param name="LiveTensors">Tensors alive on this thread according to TorchSharp's dispose-scope statistics.</param>
/// <param name="ManagedBytes">Managed heap size in use (including not yet collected garbage unless a collection was forced).</param>
/// <param name="Collections">Generation-0 garbage collections so far in the process.</param>
public sealed record MemorySample(long Step, long ResidentBytes, long LiveTensors, long ManagedBytes, int Collections)
{
    /// <summary>Reads the current process after <paramref name="step"/> steps, after a full collection (with finalizers) if asked.</summary>
    public static MemorySample Read(long step, System.Diagnostics.Process process, bool forceCollection)
    {
        if (forceCollection)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        process.Refresh();
        return new MemorySample(step, process.WorkingSet64, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount,
                                GC.GetTotalMemory(forceFullCollection: false), GC.CollectionCount(0));
    }
}

/// <summary>
/// Memory readings over a training run; a leak shows as growth between the first and last readings.
/// <paramref name="ForcedCollection"/>: whether a full GC (with finalizers) ran before each reading.
/// </summary>
public sealed record MemoryTrace(IReadOnlyList<MemorySample> Samples, bool ForcedCollection)
{
    /// <summary>Resident set growth from the reading nearest the middle of the run to the last, in bytes.</summary>
    public long SecondHalfResidentGrowthBytes => Samples[^1].ResidentBytes - Samples[Samples.Count / 2].ResidentBytes;

    /// <summary>Last minus first live-tensor count.</summary>
    public long LiveTensorGrowth => Samples[^1].LiveTensors - Samples[0].LiveTensors;

    /// <summary>Last minus first resident set size, in bytes.</summary>
    public long ResidentGrowthBytes => Samples[^1].ResidentBytes - Samples[0].ResidentBytes;

    /// <summary>
    /// Smallest resident set size of the second half of the readings minus the smallest of the first half, in bytes.
    /// A leak raises every later reading, so it raises the floor; the allocator's transient spikes (a cached block that
    /// is returned a few hundred steps later) do not. The measure to test "memory stays flat" against.
    /// </summary>
    public long SettledResidentGrowthBytes
    {
        get
        {
            int half = Samples.Count / 2;
            return Samples.Skip(half).Min(s => s.ResidentBytes) - Samples.Take(Math.Max(1, half)).Min(s => s.ResidentBytes);
        }
    }

    /// <summary>Largest resident set size seen minus the first reading, in bytes.</summary>
    public long PeakResidentGrowthBytes => Samples.Max(s => s.ResidentBytes) - Samples[0].ResidentBytes;
}
