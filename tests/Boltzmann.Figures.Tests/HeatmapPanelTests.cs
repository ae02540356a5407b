using Boltzmann.Data.Figures;

namespace Boltzmann.Figures.Tests;

/// <summary>The heat-map panel kind: cells encoded by <see cref="HeatmapCells"/> render as a Viridis colour map with a colour bar.</summary>
public sealed class HeatmapPanelTests
{
    private const int W = 640;
    private const int H = 480;

    private static FigureTable Grid(int rows, int columns)
    {
        var points = new List<FigurePoint>();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                points.Add(HeatmapCells.Cell("hm", "p", c, r, r * columns + c));
        return new FigureTable("hm", "heat map", [new FigurePanel("p", "cells", "column", "row", PlotKind.Heatmap)], points,
                               new Dictionary<string, string>());
    }

    [Fact]
    public void Renders_the_colour_map_extremes_inside_the_panel()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("heatmap.png");
        var layout = FigureRenderer.RenderPng(Grid(3, 4), path, W, H);
        var png = new PngInspection(File.ReadAllBytes(path));
        Assert.Equal((layout.Width, layout.Height), (png.Width, png.Height));
        var (left, top, right, bottom) = layout.PanelRect(0);
        // Viridis runs from dark purple (#440154, the smallest value) to yellow (#FDE725, the largest).
        Assert.True(png.Count("#FDE725", 30, x0: left, y0: top, x1: right, y1: bottom) > 500, "no yellow (maximum) cells");
        Assert.True(png.Count("#440154", 30, x0: left, y0: top, x1: right, y1: bottom) > 500, "no purple (minimum) cells");
        Assert.Equal(0, png.Count("#FDE725", 30, y1: top));
    }

    [Fact]
    public void Cells_round_trip_their_row_and_reject_other_series_names()
    {
        var cell = HeatmapCells.Cell("f", "p", 2, 7, -0.25);
        Assert.Equal((2.0, -0.25), (cell.X, cell.Y));
        Assert.Equal(7, HeatmapCells.RowOf(cell.Series));
        Assert.Throws<ArgumentException>(() => HeatmapCells.RowOf("MERA L = 4"));
        Assert.Throws<ArgumentException>(() => HeatmapCells.RowOf("row -1"));
    }

    [Fact]
    public void Non_integer_columns_are_rejected()
    {
        var table = Grid(2, 2);
        var bad = table with { Points = [.. table.Points, new FigurePoint("hm", "p", "row 0", 0.5, 1, 0)] };
        Assert.ThrowsAny<ArgumentException>(() => FigureRenderer.EncodePng(bad, W, H));
    }
}
