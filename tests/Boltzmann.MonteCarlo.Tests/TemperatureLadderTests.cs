namespace Boltzmann.MonteCarlo.Tests;

public class TemperatureLadderTests
{
    [Fact]
    public void Geometric_HasExactEndsAndConstantRatio()
    {
        var ladder = TemperatureLadder.Geometric(0.2, 2.0, 20);
        Assert.Equal(20, ladder.Count);
        Assert.Equal(0.2, ladder.Temperatures[0]);
        Assert.Equal(2.0, ladder.Temperatures[19]);
        double ratio = Math.Pow(10, 1.0 / 19);
        for (int k = 1; k < 20; k++)
            Assert.Equal(ratio, ladder.Temperatures[k] / ladder.Temperatures[k - 1], 12);
        for (int k = 0; k < 20; k++) Assert.Equal(1.0 / ladder.Temperatures[k], ladder.Betas[k]);
        Assert.True(ladder.IsStrictlyIncreasing);
    }

    [Fact]
    public void Explicit_SortsIncreasing()
    {
        var ladder = TemperatureLadder.Explicit([2.0, 0.5, 1.0]);
        Assert.Equal([0.5, 1.0, 2.0], ladder.Temperatures);
        Assert.Equal([2.0, 1.0, 0.5], ladder.Betas);
    }

    [Fact]
    public void SingleTemperature_IsAllowed()
    {
        Assert.Equal([1.5], TemperatureLadder.Geometric(1.5, 1.5, 1).Temperatures);
        Assert.Equal([1.5], TemperatureLadder.Explicit([1.5]).Temperatures);
    }

    [Fact]
    public void Repeated_HoldsEqualTemperatures()
    {
        var ladder = TemperatureLadder.Repeated(0.7, 4);
        Assert.Equal([0.7, 0.7, 0.7, 0.7], ladder.Temperatures);
        Assert.False(ladder.IsStrictlyIncreasing);
    }

    [Theory]
    [InlineData(0.0, 1.0, 4, "Tmin must be positive")]
    [InlineData(-1.0, 1.0, 4, "Tmin must be positive")]
    [InlineData(double.NaN, 1.0, 4, "Tmin must be finite")]
    [InlineData(0.5, double.PositiveInfinity, 4, "Tmax must be finite")]
    [InlineData(2.0, 1.0, 4, "Tmax must be greater than Tmin")]
    [InlineData(1.0, 1.0, 4, "Tmax must be greater than Tmin")]
    [InlineData(0.5, 1.0, 0, "at least one temperature")]
    [InlineData(0.5, 1.0, 1, "one temperature needs Tmin == Tmax")]
    public void Geometric_RejectsBadInput_WithClearMessage(double tMin, double tMax, int count, string message)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => TemperatureLadder.Geometric(tMin, tMax, count));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Explicit_RejectsBadInput_WithClearMessage()
    {
        Assert.Contains("empty list", Assert.ThrowsAny<ArgumentException>(() => TemperatureLadder.Explicit([])).Message);
        Assert.Contains("temperature #1 must be positive", Assert.ThrowsAny<ArgumentException>(() => TemperatureLadder.Explicit([1.0, -2.0])).Message);
        Assert.Contains("temperature #2 must be finite", Assert.ThrowsAny<ArgumentException>(() => TemperatureLadder.Explicit([1.0, 2.0, double.NaN])).Message);
        var dup = Assert.ThrowsAny<ArgumentException>(() => TemperatureLadder.Explicit([1.0, 0.5, 1.0]));
        Assert.Contains("contains the temperature 1 twice", dup.Message);
        Assert.Contains("Repeated", dup.Message);
        Assert.Contains("at least one temperature", Assert.ThrowsAny<ArgumentException>(() => TemperatureLadder.Repeated(1.0, 0)).Message);
        Assert.Contains("must be positive", Assert.ThrowsAny<ArgumentException>(() => TemperatureLadder.Repeated(0.0, 3)).Message);
    }
}
