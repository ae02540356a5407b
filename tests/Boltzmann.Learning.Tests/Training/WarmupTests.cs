using Boltzmann.Learning.Training;

namespace Boltzmann.Learning.Tests.Training;

public class WarmupTests
{
    [Fact]
    public void LinearWarmupRampsToTheScheduledRate()
    {
        var o = new TrainingOptions { Steps = 100, LearningRate = 0.01, WarmupSteps = 4, Schedule = LearningRateSchedule.Cosine };
        double[] expected = [0.25, 0.5, 0.75, 1.0];
        for (int s = 0; s < 4; s++)
            Assert.Equal(expected[s] * LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, o.FinalLearningRateFraction, s, 100), o.LearningRateAt(s), 15);
        Assert.Equal(LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, o.FinalLearningRateFraction, 50, 100), o.LearningRateAt(50));
        Assert.Contains(o.NumericsFingerprint(), kv => kv.Key == "WarmupSteps" && kv.Value == "4");
        Assert.DoesNotContain(new TrainingOptions().NumericsFingerprint(), kv => kv.Key == "WarmupSteps");
        Assert.Contains(new TrainingOptions { WarmupSteps = -1 }.Problems(), p => p.Contains("WarmupSteps", StringComparison.Ordinal));
    }
}
