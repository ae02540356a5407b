namespace Boltzmann.Figures.Tests;

public sealed class HistogramStepsTests
{
    [Fact]
    public void Edges_OfUniformCentres_AreCentresPlusMinusHalfWidth()
    {
        var centres = Enumerable.Range(0, 65).Select(k => -1 + 2.0 * k / 64).ToArray();
        var edges = HistogramSteps.Edges(centres);
        Assert.Equal(66, edges.Length);
        for (var k = 0; k < edges.Length; k++) Assert.Equal(-1 - 1.0 / 64 + 2.0 * k / 64, edges[k], 12);
    }

    [Fact]
    public void Edges_OfUnevenCentres_AreMidpoints()
    {
        var edges = HistogramSteps.Edges([0.0, 1.0, 3.0]);
        Assert.Equal([-0.5, 0.5, 2.0, 4.0], edges);
    }

    [Fact]
    public void Edges_SingleBin_HasUnitWidth() => Assert.Equal([1.5, 2.5], HistogramSteps.Edges([2.0]));

    [Fact]
    public void Edges_RejectUnsortedDuplicateOrEmpty()
    {
        Assert.Throws<ArgumentException>(() => HistogramSteps.Edges([1.0, 0.0]));
        Assert.Throws<ArgumentException>(() => HistogramSteps.Edges([1.0, 1.0]));
        Assert.Throws<ArgumentException>(() => HistogramSteps.Edges(ReadOnlySpan<double>.Empty));
        Assert.Throws<ArgumentException>(() => HistogramSteps.Edges([0.0, double.NaN]));
    }

    [Fact]
    public void Outline_WithBaseline_EnclosesTheBars()
    {
        var (xs, ys) = HistogramSteps.Outline([0.0, 1.0], [2.0, 3.0], 0.0);
        Assert.Equal([-0.5, -0.5, 0.5, 0.5, 1.5, 1.5], xs);
        Assert.Equal([0.0, 2.0, 2.0, 3.0, 3.0, 0.0], ys);
        // The area under the outline equals the histogram's sum of height x width.
        var area = 0.0;
        for (var i = 1; i < xs.Length; i++) area += (xs[i] - xs[i - 1]) * 0.5 * (ys[i] + ys[i - 1]);
        Assert.Equal(5.0, area, 12);
    }

    [Fact]
    public void Outline_WithoutBaseline_LeavesEndsOpen()
    {
        var (xs, ys) = HistogramSteps.Outline([0.0, 1.0], [2.0, 3.0], null);
        Assert.Equal([-0.5, 0.5, 0.5, 1.5], xs);
        Assert.Equal([2.0, 2.0, 3.0, 3.0], ys);
        Assert.Throws<ArgumentException>(() => HistogramSteps.Outline([0.0, 1.0], [2.0], null));
    }
}
