namespace Boltzmann.Figures.Tests;

public sealed class FigureLayoutTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 2)]
    [InlineData(6, 3)]
    [InlineData(10, 3)]
    public void Columns_FollowTheRule(int panels, int columns) => Assert.Equal(columns, FigureLayout.ColumnsFor(panels));

    [Fact]
    public void PanelRects_TileThePictureRowMajor_WithoutOverlap()
    {
        var layout = FigureLayout.Compute(5, 300, 200);
        Assert.Equal((900, 48 + 400 + 30), (layout.Width, layout.Height));
        Assert.Equal((0, 48, 300, 248), layout.PanelRect(0));
        Assert.Equal((600, 48, 900, 248), layout.PanelRect(2));
        Assert.Equal((300, 248, 600, 448), layout.PanelRect(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.PanelRect(5));
    }

    [Fact]
    public void Compute_RejectsImpossibleSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FigureLayout.Compute(0, 640, 480));
        Assert.Throws<ArgumentOutOfRangeException>(() => FigureLayout.Compute(1, 100, 480));
        Assert.Throws<ArgumentOutOfRangeException>(() => FigureLayout.Compute(1, 640, 159));
        Assert.Throws<ArgumentOutOfRangeException>(() => FigureLayout.Compute(200, 640, 480));
    }
}
