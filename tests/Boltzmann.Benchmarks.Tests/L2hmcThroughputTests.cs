using Boltzmann.Benchmarks.Lattice;
using Xunit.Abstractions;

namespace Boltzmann.Benchmarks.Tests;

public class L2hmcThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public void ShortBenchmarkReportsBothSamplers()
    {
        var (learned, hmc) = L2hmcThroughput.Measure(trajectories: 2, chains: 8, side: 4, layers: 2, width: 2);
        output.WriteLine(learned.ToString());
        output.WriteLine(hmc.ToString());
        foreach (var r in new[] { learned, hmc })
        {
            Assert.True(r.Seconds > 0);
            Assert.Equal(r.Seconds / (2 * 2 * 8.0), r.SecondsPerLayerPerChain, 12);
            Assert.InRange(r.Acceptance, 0.0, 1.0);
        }
    }
}
