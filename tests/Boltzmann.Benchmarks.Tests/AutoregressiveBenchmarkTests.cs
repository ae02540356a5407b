using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive;
using Boltzmann.Benchmarks.Autoregressive;

namespace Boltzmann.Benchmarks.Tests;

public class AutoregressiveBenchmarkTests
{
    [Fact]
    public void ReportsPositiveRatesAndTheArchitecturesCounts()
    {
        foreach (var architecture in new[] { AutoregressiveArchitecture.CwN, AutoregressiveArchitecture.Made(2, 1), AutoregressiveArchitecture.SkKRsb(1) })
        {
            var r = AutoregressiveBenchmark.Run(architecture, n: 24, batch: 64, seconds: 0.02);
            Assert.Equal(architecture.Name, r.Architecture);
            Assert.Equal(architecture.ParameterCount(24), r.ParameterCount);
            Assert.True(r.SamplesPerSecond > 0 && double.IsFinite(r.SamplesPerSecond));
            Assert.True(r.LogProbPerSecond > 0 && double.IsFinite(r.LogProbPerSecond));
            if (r.TrainableParameterCount == 0)
            {
                Assert.Null(r.GradientPerSecond);
                Assert.Null(r.TrainingStepsPerSecond);
            }
            else
            {
                Assert.True(r.GradientPerSecond > 0);
                Assert.True(r.TrainingStepsPerSecond > 0 && double.IsFinite(r.TrainingStepsPerSecond!.Value));
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoregressiveBenchmark.Run(AutoregressiveArchitecture.OneLayer, n: 0));
    }
}
