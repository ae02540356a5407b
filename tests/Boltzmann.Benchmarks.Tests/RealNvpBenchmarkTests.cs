using Boltzmann.Benchmarks.Flows;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.Tests;

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
    public void NativeMemoryStaysFlatOverTwoThousandReverseKlSteps() => NativeMemoryStaysFlatOverTwoThousandTrainingSteps(BenchmarkObjective.Reverse);

    /// <summary>Forward KL shares the trainer and the flow's passes with reverse KL; its extra piece is the minibatch gather.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void NativeMemoryStaysFlatOverTwoThousandForwardKlSteps() => NativeMemoryStaysFlatOverTwoThousandTrainingSteps(BenchmarkObjective.Forward);

    private void NativeMemoryStaysFlatOverTwoThousandTrainingSteps(BenchmarkObjective objective)
    {
        var trace = RealNvpBenchmark.MeasureMemory(steps: 2000, n: 64, batch: 50, layers: 4, readEvery: 250, forceCollection: true, objective: objective);
        Report(trace);
        // Every tensor of every step is disposed: the live count does not move at all.
        Assert.Equal(0, trace.LiveTensorGrowth);
        // One leaked [50, 64] float32 tensor per step would raise the RSS floor by ~1000 x 12.8 kB = 13 MB between the
        // halves; allow 8 MB of allocator noise (transient cached blocks show as spikes, not as a rising floor).
        Assert.True(trace.SettledResidentGrowthBytes < 8L << 20, $"the RSS floor rose by {trace.SettledResidentGrowthBytes / 1048576.0:F1} MB");
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(BenchmarkObjective.Forward)]
    [InlineData(BenchmarkObjective.Reverse)]
    public void NativeMemoryStaysFlatOverTenThousandStepsAtThePaperSizeWithoutForcedCollections(BenchmarkObjective objective)
    {
        // What a real training loop sees: no forced GC beyond the Trainer's own periodic collection. Native memory held
        // only by finalizers (undisposed Scalars, ~7 per parameter per step of torch.optim.Adam) would grow by
        // megabytes per step without it.
        var trace = RealNvpBenchmark.MeasureMemory(steps: 10_000, n: 256, batch: 50, layers: 4, readEvery: 1000, forceCollection: false, objective: objective);
        Report(trace);
        Assert.Equal(0, trace.LiveTensorGrowth);
        Assert.True(trace.SettledResidentGrowthBytes < 32L << 20,
            $"the RSS floor rose by {trace.SettledResidentGrowthBytes / 1048576.0:F1} MB from the first to the second half");
    }

    [Fact]
    public void BenchmarkMeasuresForwardAndReverseTrainingAndSampling()
    {
        var result = RealNvpBenchmark.Run(n: 64, batch: 50, layers: 4, seconds: 0.5);
        output.WriteLine(result.ToString());
        Assert.Equal(64, result.Dimension);
        Assert.Equal("Float32", result.Dtype);
        Assert.True(result.TrainingSteps >= 3, $"only {result.TrainingSteps} reverse steps in {result.TrainingSeconds:F2} s");
        Assert.True(result.ForwardTrainingSteps >= 3, $"only {result.ForwardTrainingSteps} forward steps in {result.ForwardTrainingSeconds:F2} s");
        Assert.InRange(result.TrainingSeconds, 0.5, 30.0);
        Assert.InRange(result.ForwardTrainingSeconds, 0.5, 30.0);
        Assert.True(result.Samples >= result.SampleBatch);
        Assert.Throws<ArgumentOutOfRangeException>(() => RealNvpBenchmark.Run(seconds: 0));
    }

    /// <summary>The numbers of the README's benchmark table and of the pipeline's sizing: N = 64, 128, 256 in both dtypes.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void BenchmarkReport()
    {
        foreach (int n in new[] { 64, 128, 256 })
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                var result = RealNvpBenchmark.Run(n: n, batch: 50, layers: 4, seconds: 3.0, dtype: dtype, threads: 1);
                output.WriteLine(result.ToString());
                Assert.True(result.TrainingSteps > 0 && result.ForwardTrainingSteps > 0 && result.Samples > 0);
            }
    }

    private void Report(MemoryTrace trace)
    {
        foreach (var s in trace.Samples)
            output.WriteLine($"step {s.Step,6}: RSS {s.ResidentBytes / 1048576.0,8:F1} MB, live tensors {s.LiveTensors,6}, managed {s.ManagedBytes / 1048576.0,6:F1} MB, gen0 GCs {s.Collections}");
        output.WriteLine($"forced collection: {trace.ForcedCollection}; growth: RSS {trace.ResidentGrowthBytes / 1048576.0:F2} MB (floor {trace.SettledResidentGrowthBytes / 1048576.0:F2} MB, peak {trace.PeakResidentGrowthBytes / 1048576.0:F2} MB), live tensors {trace.LiveTensorGrowth}");
    }
}
