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
        // Sampling + forward: 2 x (2 branches x 3 layers x B x P); backward: 2 x 2 recomputed + 2 x 3 sigmoids per pair.
        double expected = 2 * 2 * layers * batch * pairs + (2 * 2 + 2 * 3) * batch * pairs;
        Assert.InRange(cost.Transcendentals, expected, expected * 1.01); // + O(B N) output terms and Adam's square roots
        Assert.Equal(2.0 * batch * n * n, cost.Flops);
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
        Assert.Equal(forward * 4 - 2 * batch * n * h, cost.Flops, 6);
    }

    [Fact]
    public void RejectsInvalidSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoregressiveCostModel.TrainingStep(AutoregressiveArchitecture.SkRs, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoregressiveCostModel.TrainingStep(AutoregressiveArchitecture.SkRs, 10, 0));
    }
}
