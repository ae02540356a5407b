namespace Boltzmann.Figures.Tests;

public sealed class LegendPlacementTests
{
    private static IEnumerable<(double, double)> Line(double x0, double y0, double x1, double y1) =>
        Enumerable.Range(0, 101).Select(i => (x0 + (x1 - x0) * i / 100.0, y0 + (y1 - y0) * i / 100.0));

    [Fact]
    public void RisingCurve_PutsLegendUpperLeft() =>
        Assert.Equal(LegendCorner.UpperLeft, LegendPlacement.Choose(Line(0, 0, 1, 1), 0.3, 0.2));

    [Fact]
    public void FallingCurve_PutsLegendUpperRight() =>
        Assert.Equal(LegendCorner.UpperRight, LegendPlacement.Choose(Line(0, 1, 1, 0), 0.3, 0.2));

    [Fact]
    public void PeakInTheMiddle_PutsLegendInAnUpperCorner_UnlessExcluded()
    {
        var peak = Line(0, 0, 0.5, 1).Concat(Line(0.5, 1, 1, 0)).ToList();
        Assert.Equal(LegendCorner.UpperRight, LegendPlacement.Choose(peak, 0.3, 0.2));
        Assert.Equal(LegendCorner.UpperLeft, LegendPlacement.Choose(peak, 0.3, 0.2, exclude: LegendCorner.UpperRight));
    }

    [Fact]
    public void Counts_AreExact_ForKnownSamples()
    {
        var counts = LegendPlacement.Count([(0.95, 0.95), (0.05, 0.05), (0.05, 0.06), (0.5, 0.5), (double.NaN, 1)], 0.2, 0.2);
        Assert.Equal([1, 0, 0, 2], counts);
    }

    [Fact]
    public void RejectsBadBoxes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LegendPlacement.Choose([], 0, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => LegendPlacement.Choose([], 0.2, 1.5));
    }
}
