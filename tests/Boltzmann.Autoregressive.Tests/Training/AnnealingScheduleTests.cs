using Boltzmann.Autoregressive.Training;

namespace Boltzmann.Autoregressive.Tests.Training;

public class AnnealingScheduleTests
{
    [Fact]
    public void ThePapersScheduleHas39TemperaturesFrom01To20()
    {
        var s = new AnnealingSchedule(0.1, 0.05, 2.0, 1000);
        Assert.Equal(39, s.Count);
        Assert.Equal(0.1, s.Betas[0]);
        Assert.Equal(1.3, s.Betas[24]);
        Assert.Equal(2.0, s.Betas[^1]);
        Assert.Equal(39_000, s.TotalSteps);
        Assert.Equal(0.1, s.BetaAt(999));
        Assert.Equal(0.15, s.BetaAt(1000));
        Assert.Equal(24, s.IndexOf(1.3));
        Assert.Equal(-1, s.IndexOf(1.33));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.BetaAt(39_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnnealingSchedule(0.5, 0.05, 0.4, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnnealingSchedule(0.1, 0, 1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnnealingSchedule(0.1, 0.05, 1, 0));
    }
}
