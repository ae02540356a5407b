using Boltzmann.Benchmarks.MonteCarlo;
using Xunit.Abstractions;

namespace Boltzmann.Benchmarks.Tests;

public class ParallelTemperingBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void ShortBenchmark_ReportsConsistentFigures()
    {
        var r = ParallelTemperingBenchmark.Run(n: 64, temperatures: 6, chains: 2, seconds: 0.3);
        output.WriteLine(r.ToString());
        Assert.Equal(r.Sweeps * 64 * 6 * 2, r.FlipAttempts);
        Assert.Equal(r.FlipAttempts / r.ElapsedSeconds, r.FlipAttemptsPerSecond, 6);
        Assert.True(r.ElapsedSeconds >= 0.3);
        Assert.InRange(r.AcceptanceRate, 0.01, 0.99);
        Assert.InRange(r.MeanSwapAcceptance, 0.01, 1.0);
        Assert.InRange(r.ThreadsUsed, 1, Environment.ProcessorCount);
        Assert.True(r.FlipAttemptsPerSecond > 1e6, r.ToString());
    }
}
