using Boltzmann.Flows.Benchmarks;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>Memory and throughput measurements run alone, so other tests' allocations do not pollute the RSS readings.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasurementCollection
{
    public const string Name = "Measurements (not parallel)";
}

[Collection(MeasurementCollection.Name)]
public class RealNvpBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void NativeMemoryStaysFlatOverTwoThousandTrainingSteps()
    {
        var trace = RealNvpBenchmark.MeasureMemory(steps: 2000, n: 64, batch: 50, layers: 4, readEvery: 250, forceCollection: true);
        Report(trace);
        // Every tensor of every step is disposed: the live count does not move at all.
        Assert.Equal(0, trace.LiveTensorGrowth);
        // One leaked [50, 64] float32 tensor per step would retain 1750 x 12.8 kB = 22 MB; allow allocator noise of 8 MB.
        Assert.True(trace.ResidentGrowthBytes < 8L << 20, $"RSS grew by {trace.ResidentGrowthBytes / 1048576.0:F1} MB");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void NativeMemoryStaysFlatOverTenThousandStepsAtThePaperSizeWithoutForcedCollections()
    {
        // What a real training loop sees: no forced GC. Native memory held only by finalizers (undisposed Scalars,
        // as torch.optim.Adam creates ~7 per parameter per step) would grow by megabytes per step here.
        var trace = RealNvpBenchmark.MeasureMemory(steps: 10_000, n: 256, batch: 50, layers: 4, readEvery: 1000, forceCollection: false);
        Report(trace);
        Assert.Equal(0, trace.LiveTensorGrowth);
        Assert.True(trace.SecondHalfResidentGrowthBytes < 64L << 20,
            $"RSS grew by {trace.SecondHalfResidentGrowthBytes / 1048576.0:F1} MB over the second half");
    }

    [Fact]
    public void BenchmarkMeasuresTrainingAndSamplingAtThePaperSize()
    {
        var result = RealNvpBenchmark.Run(n: 256, batch: 50, layers: 4, seconds: 1.0);
        output.WriteLine(result.ToString());
        Assert.Equal(256, result.Dimension);
        Assert.Equal("Float32", result.Dtype);
        Assert.True(result.TrainingSteps >= 5, $"only {result.TrainingSteps} steps in {result.TrainingSeconds:F2} s");
        Assert.True(result.Samples >= result.SampleBatch);
        Assert.InRange(result.TrainingSeconds, 1.0, 30.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => RealNvpBenchmark.Run(seconds: 0));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void BenchmarkReport()
    {
        foreach (int threads in new[] { 1, 2 })
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                var result = RealNvpBenchmark.Run(n: 256, batch: 50, layers: 4, seconds: 5.0, dtype: dtype, threads: threads);
                output.WriteLine(result.ToString());
                Assert.True(result.TrainingSteps > 0 && result.Samples > 0);
            }
    }

    private void Report(MemoryTrace trace)
    {
        foreach (var s in trace.Samples)
            output.WriteLine($"step {s.Step,6}: RSS {s.ResidentBytes / 1048576.0,8:F1} MB, live tensors {s.LiveTensors,6}, managed {s.ManagedBytes / 1048576.0,6:F1} MB, gen0 GCs {s.Collections}");
        output.WriteLine($"forced collection: {trace.ForcedCollection}; growth: RSS {trace.ResidentGrowthBytes / 1048576.0:F2} MB (peak {trace.PeakResidentGrowthBytes / 1048576.0:F2} MB), live tensors {trace.LiveTensorGrowth}");
    }
}
