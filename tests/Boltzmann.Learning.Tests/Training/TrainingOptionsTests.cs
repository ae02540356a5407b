using Boltzmann.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Training;

public class TrainingOptionsTests
{
    [Fact]
    public void EveryInvalidValueIsReportedAtOnce()
    {
        var bad = new TrainingOptions
        {
            Steps = 0,
            LearningRate = -1,
            Beta1 = 1,
            MaxGradientNorm = 0,
            DType = ScalarType.Int32,
            KeepCheckpoints = 1,
            LogInterval = 0,
            Divergence = new DivergenceRule { MaxRiseAboveBest = -2, SmoothingSteps = 0 },
        };
        var e = Assert.Throws<ArgumentException>(bad.Validate);
        foreach (var expected in new[]
                 {
                     "TrainingOptions.Steps: value 0 is not allowed; must be >= 1",
                     "TrainingOptions.LearningRate: value -1 is not allowed; must be finite and > 0",
                     "TrainingOptions.Beta1: value 1 is not allowed; must be in [0, 1)",
                     "TrainingOptions.MaxGradientNorm: value 0 is not allowed",
                     "TrainingOptions.DType: value Int32 is not allowed; must be Float32 or Float64",
                     "TrainingOptions.KeepCheckpoints: value 1 is not allowed; must be >= 2",
                     "TrainingOptions.LogInterval: value 0 is not allowed",
                     "TrainingOptions.Divergence.MaxRiseAboveBest: value -2 is not allowed",
                     "TrainingOptions.Divergence.SmoothingSteps: value 0 is not allowed",
                 })
            Assert.Contains(expected, e.Message);
        Assert.Empty(new TrainingOptions().Problems());
    }

    [Fact]
    public void CosineScheduleMatchesItsClosedForm()
    {
        var o = new TrainingOptions { Steps = 101, LearningRate = 0.2, Schedule = LearningRateSchedule.Cosine, FinalLearningRateFraction = 0.1 };
        Assert.Equal(0.2, o.LearningRateAt(0), 15);
        Assert.Equal(0.2 * (0.1 + 0.9 * 0.5), o.LearningRateAt(50), 15);
        Assert.Equal(0.02, o.LearningRateAt(100), 15);
        Assert.Equal(0.2 * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25))), o.LearningRateAt(25), 15);
        Assert.Equal(0.2, (o with { Schedule = LearningRateSchedule.Constant }).LearningRateAt(77));
        Assert.Throws<ArgumentOutOfRangeException>(() => o.LearningRateAt(101));
    }

    [Fact]
    public void TrainerUsesAndLogsTheScheduledRate()
    {
        using var dir = new TempDirectory();
        using var model = new DiagonalGaussian([0], [0]);
        var o = new TrainingOptions { Steps = 11, LearningRate = 0.1, Schedule = LearningRateSchedule.Cosine, FinalLearningRateFraction = 0 };
        using var trainer = new Trainer(model, o, dir.Path);
        trainer.Resume();
        var log = trainer.Run(_ => (model.Mu - 1).square().sum()).Log;
        Assert.Equal(Enumerable.Range(0, 11).Select(t => o.LearningRateAt(t)), log.Records.Select(r => r.LearningRate));
        Assert.Equal(0.0, log.Records[^1].LearningRate, 15);
    }

    [Fact]
    public void GradientClippingRescalesTheGradientBeforeAdam()
    {
        // Adam's first step (Kingma & Ba 2015, Alg. 1, t = 1) is θ₁ = θ₀ − lr·g/(|g| + ε) per coordinate, because the
        // bias-corrected moments are m̂ = g and v̂ = g². Clipping g = (3, −4) (norm 5) to norm 1e-3 gives
        // g' = (6e-4, −8e-4), where ε = 1e-8 is visible: the step is 0.1·6e-4/(6e-4 + 1e-8), not 0.1·3/(3 + 1e-8).
        using var dir = new TempDirectory();
        using var model = new DiagonalGaussian([0, 0], [0, 0]);
        var o = new TrainingOptions { Steps = 1, LearningRate = 0.1, MaxGradientNorm = 1e-3 };
        using var trainer = new Trainer(model, o, dir.Path);
        trainer.Resume();
        var log = trainer.Run(_ => (model.Mu * tensor(new[] { 3.0, -4.0 })).sum()).Log;
        Assert.Equal(5.0, log.Records[0].GradientNorm, 12);
        var mu = model.MuValues();
        Assert.Equal(-0.1 * 6e-4 / (6e-4 + 1e-8), mu[0], 1e-12);
        Assert.Equal(0.1 * 8e-4 / (8e-4 + 1e-8), mu[1], 1e-12);
    }
}
