using Boltzmann.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Training;

/// <summary>NaN/∞ sentinels, divergence rules and the sanity-check hook stop training with a clear message and keep the last good checkpoint.</summary>
public class DivergenceTests
{
    private static TrainingOptions Options(DivergenceRule? rule = null) => new()
    {
        Steps = 400,
        LearningRate = 0.01,
        CheckpointInterval = 10,
        KeepCheckpoints = 3,
        Divergence = rule ?? DivergenceRule.NonFiniteOnly,
        GarbageCollectionInterval = 0,
    };

    private static TrainingDivergedException RunUntilFailure(string dir, TrainingOptions options, Func<DiagonalGaussian, Generator, Func<long, StepResult>> closure, Action<Trainer>? configure = null)
    {
        using var model = new DiagonalGaussian([0, 0], [0, 0]);
        using var gen = new Generator(3);
        using var trainer = new Trainer(model, options, dir);
        trainer.RegisterGenerator("sampler", gen);
        configure?.Invoke(trainer);
        trainer.Resume();
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run(closure(model, gen)));
        // A failing loss or gradient stops before the step's update; a failing sanity check after it.
        Assert.Equal(e.Reason.Contains("sanity check") ? e.Step + 1 : e.Step, trainer.CompletedSteps);
        return e;
    }

    private static readonly GaussianTarget Target = new([0.5, -0.5], [1.0, 2.0]);

    private static Func<long, StepResult> ReverseKlPlus(DiagonalGaussian model, Generator gen, long badStep, double offset) => step =>
    {
        var (x, logQ) = model.Sample(32, gen);
        var loss = (logQ - Target.LogDensity(x)).mean();
        return step == badStep ? loss + offset : loss;
    };

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void NonFiniteLossStopsAtThatStepAndKeepsTheCheckpointBefore(double offset, string shown)
    {
        using var dir = new TempDirectory();
        var e = RunUntilFailure(dir.Path, Options(), (m, g) => ReverseKlPlus(m, g, 37, offset));
        Assert.Equal(37, e.Step);
        Assert.Equal(30, e.LastGoodStep);
        Assert.Contains("Training stopped at step 37", e.Message);
        Assert.Contains($"loss is {shown} (not finite)", e.Message);
        Assert.Contains(TrainingCheckpoint.DirectoryName(30), e.Message);
        Assert.EndsWith(TrainingCheckpoint.DirectoryName(30), e.LastGoodCheckpoint);
        var onDisk = TrainingCheckpoint.List(dir.Path);
        Assert.Equal(30, onDisk[^1].CompletedSteps);
        Assert.Equal(30, TrainingCheckpoint.Verify(onDisk[^1].Path).CompletedSteps);
    }

    [Fact]
    public void NonFiniteGradientWithAFiniteLossStops()
    {
        using var dir = new TempDirectory();
        // d/dμ |μ − μ₀|^(1/2) is infinite at μ = μ₀ while the value there is 0: a finite loss with an infinite gradient.
        var e = RunUntilFailure(dir.Path, Options(), (m, g) => step =>
        {
            var (x, logQ) = m.Sample(32, g);
            var loss = (logQ - Target.LogDensity(x)).mean();
            return step == 23 ? loss + (m.Mu - m.Mu.detach()).abs().sqrt().sum() : loss;
        });
        Assert.Equal(23, e.Step);
        Assert.True(double.IsFinite(e.Loss));
        Assert.Contains("gradient norm is NaN (not finite)", e.Message);
        Assert.Equal(20, e.LastGoodStep);
    }

    [Fact]
    public void MaxLossRuleStopsAtTheFirstLossAboveTheThreshold()
    {
        using var dir = new TempDirectory();
        // Loss value = step (the model enters with weight 0, so the loss has a graph but the value is exact).
        var e = RunUntilFailure(dir.Path, Options(new DivergenceRule { MaxLoss = 50 }), (m, g) => step => (m.Mu * 0).sum() + (double)step);
        Assert.Equal(51, e.Step);
        Assert.Equal(51, e.Loss);
        Assert.Contains("loss 51 exceeds DivergenceRule.MaxLoss = 50", e.Message);
        Assert.Equal(50, e.LastGoodStep);
    }

    [Fact]
    public void RiseAboveBestRuleStopsWhereAnIndependentMovingAverageSaysSo()
    {
        // A loss that falls, then climbs: L_t = 10 − 0.01 t for t < 200, then 8 + 0.02 (t − 200).
        static double L(long t) => t < 200 ? 10 - 0.01 * t : 8 + 0.02 * (t - 200);
        const int span = 25;
        const double rise = 0.5;
        // Independent reimplementation of the documented rule.
        double alpha = 2.0 / (span + 1), ema = 0, best = double.PositiveInfinity;
        long expected = -1;
        for (long t = 0; t < 400 && expected < 0; t++)
        {
            ema = t == 0 ? L(t) : ema + alpha * (L(t) - ema);
            if (t + 1 >= span)
            {
                best = Math.Min(best, ema);
                if (ema - best > rise) expected = t;
            }
        }
        Assert.InRange(expected, 201, 399);

        using var dir = new TempDirectory();
        var e = RunUntilFailure(dir.Path, Options(new DivergenceRule { MaxRiseAboveBest = rise, SmoothingSteps = span }),
                                (m, g) => step => (m.Mu * 0).sum() + L(step));
        Assert.Equal(expected, e.Step);
        Assert.Contains("rose", e.Message);
        Assert.Contains("MaxRiseAboveBest = 0.5", e.Message);
        Assert.Equal(expected / 10 * 10, e.LastGoodStep);
    }

    [Fact]
    public void FailingSanityCheckStopsTrainingAndNoCheckpointIsWrittenFromTheBadState()
    {
        using var dir = new TempDirectory();
        var options = Options() with { SanityCheckInterval = 4, CheckpointInterval = 10 };
        var calls = new List<long>();
        var e = RunUntilFailure(dir.Path, options, (m, g) => ReverseKlPlus(m, g, -1, 0), t => t.SanityCheck = completed =>
        {
            calls.Add(completed);
            if (completed == 28) throw new InvalidOperationException("log-det mismatch 0.3 at sample 5");
        });
        Assert.Equal([4L, 8L, 10L, 12L, 16L, 20L, 20L, 24L, 28L], calls);
        Assert.Equal(27, e.Step);
        Assert.Contains("sanity check after 28 completed steps failed: log-det mismatch 0.3 at sample 5", e.Message);
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Equal(20, TrainingCheckpoint.List(dir.Path)[^1].CompletedSteps);
    }

    [Fact]
    public void ClosureErrorsAreReportedWithTheStep()
    {
        using var dir = new TempDirectory();
        using var model = new DiagonalGaussian([0, 0], [0, 0]);
        using var trainer = new Trainer(model, Options(), dir.Path);
        trainer.Resume();
        var shape = Assert.Throws<InvalidOperationException>(() => trainer.Run(_ => model.Mu * 2));
        Assert.Contains("loss of shape [2] at step 0", shape.Message);
        var noGrad = Assert.Throws<InvalidOperationException>(() => trainer.Run(_ => tensor(1.0)));
        Assert.Contains("does not require a gradient", noGrad.Message);
    }
}
