using Boltzmann.Benchmarks.Lattice;
using Xunit.Abstractions;

namespace Boltzmann.Benchmarks.Tests;

/// <summary>
/// The phi^4 lattice flow: native memory flat over many path-gradient steps (every tensor disposed), and throughput
/// at 16 x 8 and 64 x 8 with batch 1024 (Slow: a few steps of a 16-coupling flow each, reported, not asserted).
/// </summary>
[Collection(MeasurementCollection.Name)]
public class LatticeFlowBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void NativeMemoryStaysFlatOverPathGradientSteps()
    {
        var trace = LatticeFlowBenchmark.MeasureMemory(steps: 600, readEvery: 100);
        foreach (var s in trace.Samples)
            output.WriteLine($"step {s.Step}: RSS {s.ResidentBytes / 1048576.0:F1} MB, live tensors {s.LiveTensors}");
        Assert.Equal(0, trace.LiveTensorGrowth);
        Assert.True(trace.SettledResidentGrowthBytes < 8L << 20, $"the RSS floor rose by {trace.SettledResidentGrowthBytes / 1048576.0:F1} MB");
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(16, 8)]
    [InlineData(64, 8)]
    public void ThroughputAtBatch1024(int l, int t)
    {
        var r = LatticeFlowBenchmark.Run(l, t, batch: 1024, couplings: 16, steps: 3);
        output.WriteLine($"{l} x {t}, batch {r.Batch}, {r.Couplings} couplings, {r.Dtype}, {r.Threads} thread(s): reverse {r.ReverseStepsPerSecond:F2} steps/s, " +
                         $"path {r.PathStepsPerSecond:F2} steps/s (+{100 * r.PathExtraCost:F0}%), forward {r.ForwardStepsPerSecond:F2} steps/s, {r.SamplesPerSecond:F0} samples/s");
        Assert.True(r.ReverseStepsPerSecond > 0 && r.SamplesPerSecond > 0);
    }
}
