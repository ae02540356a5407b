using Boltzmann.Data.Figures;
using Boltzmann.Stages.SkFlow.Figures;

namespace Boltzmann.Stages.SkFlow.Tests.Figures;

/// <summary>The triangle 2-D histogram cells: the right bins, fractions summing to one, the maximum in the last bin.</summary>
public class TriangleHistogramTests
{
    [Fact]
    public void Cells_hold_the_fraction_of_triangles_per_bin()
    {
        var triangles = new List<(double, double)> { (0, 0), (0.01, 0.02), (0.5, 0.1), (1.0, 1.0) };
        double w = TriangleHistogram.BinWidth(1.0, bins: 10);
        var cells = TriangleHistogram.Cells("f", "p", triangles, w, bins: 10).ToList();
        Assert.Equal(1.0, cells.Sum(c => c.Y), 12);
        var origin = cells.Single(c => c.X == 0 && HeatmapCells.RowOf(c.Series) == 0);
        Assert.Equal(0.5, origin.Y, 12);
        Assert.Contains(cells, c => c.X == 4 && HeatmapCells.RowOf(c.Series) == 0 && Math.Abs(c.Y - 0.25) < 1e-12);
        Assert.Contains(cells, c => c.X == 9 && HeatmapCells.RowOf(c.Series) == 9);
        Assert.Equal(3, cells.Count);
        Assert.Empty(TriangleHistogram.Cells("f", "p", [], w));
    }
}
