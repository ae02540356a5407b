using Microsoft.Data.Analysis;

namespace Boltzmann.Data.Figures;

/// <summary>Figure data as a Microsoft.Data.Analysis DataFrame, for tabular checks and ad-hoc evaluation.</summary>
public static class FigureTableFrame
{
    /// <summary>
    /// One row per point with the tidy columns figure, panel, series (string) and x, y, y_err (double),
    /// in the table's point order.
    /// </summary>
    public static DataFrame ToDataFrame(FigureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var points = table.Points;
        return new DataFrame(
            new StringDataFrameColumn("figure", points.Select(p => p.Figure)),
            new StringDataFrameColumn("panel", points.Select(p => p.Panel)),
            new StringDataFrameColumn("series", points.Select(p => p.Series)),
            new DoubleDataFrameColumn("x", points.Select(p => p.X)),
            new DoubleDataFrameColumn("y", points.Select(p => p.Y)),
            new DoubleDataFrameColumn("y_err", points.Select(p => p.YErr)));
    }
}
