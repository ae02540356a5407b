namespace Boltzmann.MonteCarlo.Tests;

public class OptionsTests
{
    private static readonly TemperatureLadder Ladder = TemperatureLadder.Geometric(0.5, 2, 4);

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var o = new ParallelTemperingOptions(Ladder);
        Assert.Equal(2, o.Chains);
        Assert.Equal(100, o.LocalFieldRefreshInterval);
        Assert.Equal(-1, o.MaxDegreeOfParallelism);
        Assert.Equal(ParallelScheme.Auto, o.Scheme);
        Assert.Equal("parallel-tempering", o.StageName);
        Assert.Same(Ladder, o.Ladder);
    }

    [Fact]
    public void InvalidValues_AreRejectedWithClearMessages()
    {
        Assert.Contains("Chains must be at least 1", Assert.ThrowsAny<ArgumentException>(() => new ParallelTemperingOptions(Ladder) { Chains = 0 }).Message);
        Assert.Contains("LocalFieldRefreshInterval must be at least 1", Assert.ThrowsAny<ArgumentException>(() => new ParallelTemperingOptions(Ladder) { LocalFieldRefreshInterval = 0 }).Message);
        Assert.Contains("MaxDegreeOfParallelism must be -1", Assert.ThrowsAny<ArgumentException>(() => new ParallelTemperingOptions(Ladder) { MaxDegreeOfParallelism = 0 }).Message);
        Assert.Contains("StageName must be a non-empty", Assert.ThrowsAny<ArgumentException>(() => new ParallelTemperingOptions(Ladder) { StageName = "" }).Message);
        Assert.Contains("temperature ladder", Assert.ThrowsAny<ArgumentException>(() => new ParallelTemperingOptions(null!)).Message);
        Assert.Contains("temperature ladder", Assert.ThrowsAny<ArgumentException>(() => new ParallelTemperingOptions(Ladder) with { Ladder = null! }).Message);
    }

    [Fact]
    public void SamplerAccessors_RejectOutOfRangeIndices()
    {
        var pt = new ParallelTempering(TestInstances.Sk(8, 1), new ParallelTemperingOptions(Ladder));
        Assert.Contains("Chain must be in [0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => pt.Energy(2, 0)).Message);
        Assert.Contains("Slot must be in [0, 3]", Assert.Throws<ArgumentOutOfRangeException>(() => pt.Energy(0, 4)).Message);
        Assert.Contains("Pair index must be in [0, 2]", Assert.Throws<ArgumentOutOfRangeException>(() => pt.SwapAttempts(0, 3)).Message);
        Assert.Contains("N = 8 needed", Assert.Throws<ArgumentException>(() => pt.CopyConfiguration(0, 0, new sbyte[7])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => pt.Sweep(-1));
        var single = new ParallelTempering(TestInstances.Sk(8, 1), new ParallelTemperingOptions(TemperatureLadder.Explicit([1.0])));
        single.Sweep(3);
        Assert.Contains("no exchange pairs", Assert.Throws<ArgumentOutOfRangeException>(() => single.SwapAttempts(0, 0)).Message);
        Assert.Equal(0, single.RoundTrips(0));
    }
}
