using System.Globalization;

namespace Boltzmann.Data.Figures;

/// <summary>
/// The tidy encoding of a <see cref="PlotKind.Heatmap"/> panel: one series per grid row, named "row R", whose points
/// are (x = column index, y = cell value); the renderer stacks the rows into a colour map with a colour bar. Read as
/// plain data, each series is the row's values against the column, so any tool can re-plot it.
/// </summary>
public static class HeatmapCells
{
    private const string Prefix = "row ";

    /// <summary>The point of cell (row, column) with its value.</summary>
    public static FigurePoint Cell(string figure, string panel, double column, double row, double value) =>
        new(figure, panel, Prefix + ((long)row).ToString(CultureInfo.InvariantCulture), column, value, 0);

    /// <summary>The row index encoded in a heat-map series name ("row R").</summary>
    public static int RowOf(string series)
    {
        if (series is null || !series.StartsWith(Prefix, StringComparison.Ordinal)
            || !int.TryParse(series.AsSpan(Prefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out int row) || row < 0)
            throw new ArgumentException($"Heat-map series '{series}' is not named \"row R\" with a row index R >= 0.", nameof(series));
        return row;
    }
}
