using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Benchmarks.Autoregressive;

namespace Boltzmann.Benchmarks.Tests;

/// <summary>The ARNN cost model against hand counts at the paper's size and its scaling in N and the batch.</summary>
public class AutoregressiveCostModelTests
{
    [Fact]
    public void Sk2RsbCountsTheNestedLogSigmoidsOfEveryPair()
    {
        const int n = 200;
        const long batch = 1000;
        var cost = AutoregressiveCostModel.TrainingStep(AutoregressiveArchitecture.SkKRsb(2), n, batch);
        double pairs = n * (n - 1) / 2.0, layers = 3;
        // In the fused kernel: sampling + forward 2 x (2 branches x 3 layers x B x P); backward: the chain recomputed,
        // 3 exponentials and 2 logarithms per pair and branch, counted as 2 x 2.5 log-sigmoids.
        double expected = 2 * 2 * layers * batch * pairs + 2 * (layers - 0.5) * batch * pairs;
        Assert.Equal(expected, cost.FusedLogSigmoids, 6);
        // libtorch's: the output ln sigma(x_i logit_i) and the sampler's sigmoid (4 B N) and Adam's square roots.
        Assert.Equal(4.0 * batch * n + 4 * layers * n * n + 2 * n, cost.Transcendentals, 6);
        Assert.Equal(2.0 * batch * n * n + 2.0 * batch * n * n, cost.Flops); // skip connection + the objective's energy
        Assert.Contains("SK_2RSB", cost.Workload);
    }

    [Theory]
    [InlineData("SK_RS")]
    [InlineData("SK_1RSB")]
    [InlineData("1L")]
    [InlineData("MADE_22")]
    [InlineData("CW_inf")]
    [InlineData("1P")]
    [InlineData("CW_N")]
    public void WorkGrowsLinearlyInTheBatchApartFromTheOptimizer(string name)
    {
        var architecture = AutoregressiveArchitecture.Parse(name);
        var one = AutoregressiveCostModel.TrainingStep(architecture, 50, 1000);
        var two = AutoregressiveCostModel.TrainingStep(architecture, 50, 2000);
        Assert.True(one.Flops + one.Transcendentals + one.ElementwiseOps > 0);
        Assert.InRange(two.FusedLogSigmoids, one.FusedLogSigmoids, 2 * one.FusedLogSigmoids);
        // Doubling the batch at most doubles every count (the optimizer's share does not grow).
        Assert.InRange(two.Transcendentals, one.Transcendentals, 2 * one.Transcendentals);
        Assert.InRange(two.ElementwiseOps, one.ElementwiseOps, 2 * one.ElementwiseOps);
        Assert.InRange(two.Flops, one.Flops, 2 * one.Flops);
    }

    [Fact]
    public void MadeFlopsFollowTheLayerShapes()
    {
        const int n = 10;
        const long batch = 7;
        var cost = AutoregressiveCostModel.TrainingStep(AutoregressiveArchitecture.Parse("MADE_21"), n, batch);
        double h = n, forward = 2 * batch * (n * h + h * h + h * n);
        Assert.Equal(forward * 4 - 2 * batch * n * h + 2 * batch * n * n, cost.Flops, 6); // + the objective's energy
    }

    [Fact]
    public void RejectsInvalidSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoregressiveCostModel.TrainingStep(AutoregressiveArchitecture.SkRs, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoregressiveCostModel.TrainingStep(AutoregressiveArchitecture.SkRs, 10, 0));
    }
}
