using Boltzmann.Benchmarks.Lattice;
using Boltzmann.Learning.Runtime;
using Xunit.Abstractions;

namespace Boltzmann.Benchmarks.Tests;

public class TensorHmcThroughputTests
{
    private readonly ITestOutputHelper output;

    public TensorHmcThroughputTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchThreads.EnsureConfigured();
    }

    [Fact]
    public void ShortBenchmark_ReportsConsistentFigures()
    {
        var results = TensorHmcThroughput.Standard(trajectories: 3, chains: 16, side: 4);
        Assert.Equal(4, results.Count);
        foreach (var r in results)
        {
            output.WriteLine(r.ToString());
            Assert.Equal(16, r.Chains);
            Assert.Equal(r.Name.StartsWith("u1", StringComparison.Ordinal) ? 32 : 16, r.DegreesOfFreedom);
            Assert.Equal(r.ChainTrajectoriesPerSecond * r.DegreesOfFreedom * r.LeapfrogSteps, r.UpdatesPerSecond, 6);
            Assert.Equal(r.TrajectoriesPerSecond * r.Chains, r.ChainTrajectoriesPerSecond, 6);
            Assert.True(r.Seconds > 0);
            Assert.InRange(r.AcceptanceRate, 0.05, 1.0);
        }
    }
}
