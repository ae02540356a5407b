using Boltzmann.Benchmarks.Cost;
using Boltzmann.Flows;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.Tests;

/// <summary>The cost model's counts against the real models, the limit arithmetic, and the measurement helpers.</summary>
public class CostModelTests
{
    [Theory]
    [InlineData(16, 4, 3, null)]
    [InlineData(24, 2, 2, 8)]
    [InlineData(256, 4, 3, null)]
    public void RealNvpParameterAndFlopCountsMatchTheFlow(int n, int layers, int hidden, int? width)
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = n, Layers = layers, HiddenLayers = hidden, HiddenWidth = width, Seed = 1, Dtype = ScalarType.Float32 });
        long parameters = flow.parameters().Sum(p => p.numel());
        Assert.Equal(parameters, RealNvpCostModel.Parameters(n, layers, hidden, width));
        // One pass: 2 FLOPs per weight per sample over every Linear of every conditioner (compact: the first layer holds
        // the columns of the passive set B, the last the rows of the active set A, |A| + |B| = N whatever the masks).
        const int batch = 50;
        double weights = 0;
        foreach (var coupling in flow.Couplings)
            foreach (var net in new[] { coupling.S, coupling.T })
                weights += net.Layers.Sum(l => (double)l.weight!.numel());
        Assert.Equal(2 * batch * weights, RealNvpCostModel.Pass(n, batch, layers, hidden, width).Flops);
        var step = RealNvpCostModel.ForwardKlStep(n, batch, layers, hidden, width);
        Assert.Equal(3 * 2 * batch * weights, step.Flops);
        Assert.True(step.ElementwiseOps > 13 * parameters);
    }

    [Fact]
    public void TheLimitAddsTheThreeKindsOfWorkAtTheirPeakRates()
    {
        var peaks = new MachinePeaks(100e9, 40e9, 1e9, 20e9, 100e9);
        var cost = new StepCost("test", 1e9, 1e6, 4e7);
        Assert.Equal(1e9 / 100e9 + 1e6 / 1e9 + 4e7 / 20e9, CostLimit.Seconds(cost, peaks), 15);
        Assert.Equal(1e9 / 40e9 + 1e6 / 0.5e9 + 4e7 / 10e9, CostLimit.Seconds(cost, peaks, float64: true), 15);
        Assert.Equal(1 / CostLimit.Seconds(cost, peaks), CostLimit.PerSecond(cost, peaks), 9);
        Assert.Equal("measured 50 (limit 100, 50 % of it)", CostLimit.Describe(50, 100));
        // PT: 2/R_exp + 16/R_ew + max(2aN/R_ew, 8aN/B_L2).
        double a = 0.25; int n = 256;
        Assert.Equal((2 / 1e9 + 16 / 20e9 + Math.Max(2 * a * n / 20e9, 8 * a * n / 100e9)) * 1e9, ParallelTemperingCostModel.Seconds(n, a, peaks) * 1e9, 9);
    }

    [Fact]
    public void FusedLogSigmoidsAreTimedAtTheKernelsOwnRate()
    {
        var peaks = new MachinePeaks(100e9, 40e9, 1e9, 20e9, 100e9, FusedLogSigmoidsPerSecond: 3e9, FusedLogSigmoidsPerSecondFloat64: 1e9);
        var cost = new StepCost("test", 1e9, 1e6, 4e7, FusedLogSigmoids: 6e8);
        Assert.Equal(1e9 / 100e9 + 1e6 / 1e9 + 4e7 / 20e9 + 6e8 / 3e9, CostLimit.Seconds(cost, peaks), 15);
        Assert.Equal(1e9 / 40e9 + 1e6 / 0.5e9 + 4e7 / 10e9 + 6e8 / 1e9, CostLimit.Seconds(cost, peaks, float64: true), 15);
        // The SK networks' log-sigmoids run in the fused kernel; CW_inf's energy product is counted.
        var sk = Boltzmann.Benchmarks.Autoregressive.AutoregressiveCostModel.TrainingStep(Boltzmann.Autoregressive.Architectures.AutoregressiveArchitecture.Parse("SK_2RSB"), 200, 1000);
        double pairs = 200.0 * 199 / 2;
        Assert.Equal(2 * 2 * 3 * 1000 * pairs + 2 * 2.5 * 1000 * pairs, sk.FusedLogSigmoids, 6);
        var cw = Boltzmann.Benchmarks.Autoregressive.AutoregressiveCostModel.TrainingStep(Boltzmann.Autoregressive.Architectures.AutoregressiveArchitecture.Parse("CW_inf"), 200, 1000);
        Assert.Equal(2.0 * 1000 * 200 * 200, cw.Flops);
        Assert.Equal(2.5 * 1000 * 200, cw.FusedLogSigmoids);
    }

    [Fact]
    public void WindowedRateReportsTheMedianAndSpreadOfItsWindows()
    {
        int calls = 0;
        var rate = WindowedRate.Measure(() => { calls++; Thread.Sleep(2); return 10; }, windows: 3, windowSeconds: 0.05, warmupSeconds: 0.01, warmupUnits: 20);
        Assert.Equal(3, rate.Windows);
        Assert.True(rate.Min <= rate.Median && rate.Median <= rate.Max);
        Assert.InRange(rate.Median, 500, 5000); // ~10 units per 2+ ms
        Assert.True(rate.Units > 0 && rate.WallSeconds >= 0.15 && calls * 10 > rate.Units);
        Assert.Contains("over 3 windows", rate.Describe());
    }

    [Fact]
    public void MachinePeaksArePositiveAndOrdered()
    {
        var peaks = MachinePeaks.Measure(0.05);
        Assert.True(peaks.GemmFlopsFloat32 > 1e9 && peaks.GemmFlopsFloat64 > 1e8, peaks.ToString());
        Assert.True(peaks.TranscendentalsPerSecond > 1e7 && peaks.ElementwisePerSecond > 1e8 && peaks.L2BytesPerSecond > 1e9, peaks.ToString());
        Assert.True(peaks.FusedLogSigmoidsPerSecond > 1e6 && peaks.FusedLogSigmoidsPerSecondFloat64 > 1e6, peaks.ToString()); // short windows: JIT included
    }
}
