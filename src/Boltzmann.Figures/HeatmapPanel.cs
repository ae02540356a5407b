using Boltzmann.Data.Figures;
using ScottPlot;

namespace Boltzmann.Figures;

/// <summary>
/// Renders a <see cref="PlotKind.Heatmap"/> panel: the series "row R" (see <see cref="HeatmapCells"/>) are stacked into
/// a grid, cell (R, C) centred at (x = C, y = R), drawn as a Viridis colour map with a colour bar; missing cells are
/// transparent. Used for the response maps and mutual-information matrices of the NeuralRG figure (Li &amp; Wang 2018, Fig. 4).
/// </summary>
internal static class HeatmapPanel
{
    public static void Add(Plot plot, PreparedPanel prepared)
    {
        if (prepared.Series.Count == 0) return;
        var rows = prepared.Series.Select(s => HeatmapCells.RowOf(s.Name)).ToArray();
        int rowCount = rows.Max() + 1;
        int columnCount = 0;
        foreach (var s in prepared.Series)
            foreach (double x in s.X)
            {
                if (x < 0 || x != Math.Floor(x))
                    throw new ArgumentException($"Panel '{prepared.Panel.Panel}': heat-map column {x} is not a non-negative integer.");
                columnCount = Math.Max(columnCount, (int)x + 1);
            }
        var values = new double[rowCount, columnCount];
        for (int r = 0; r < rowCount; r++)
            for (int c = 0; c < columnCount; c++) values[r, c] = double.NaN;
        for (int k = 0; k < prepared.Series.Count; k++)
        {
            var s = prepared.Series[k];
            // Intensities[0, *] is drawn at the top: flip so that row R sits at y = R.
            for (int i = 0; i < s.X.Length; i++) values[rowCount - 1 - rows[k], (int)s.X[i]] = s.Y[i];
        }
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.Transparent;
        heatmap.Rectangle = new CoordinateRect(-0.5, columnCount - 0.5, -0.5, rowCount - 0.5);
        plot.Add.ColorBar(heatmap);
    }

    public static void SetLimits(Plot plot, PreparedPanel prepared)
    {
        if (prepared.Series.Count == 0)
        {
            plot.Axes.SetLimits(0, 1, 0, 1);
            return;
        }
        int rowCount = prepared.Series.Max(s => HeatmapCells.RowOf(s.Name)) + 1;
        int columnCount = (int)prepared.Series.Max(s => s.X.Length == 0 ? 0 : s.X.Max()) + 1;
        plot.Axes.SetLimits(-0.5, columnCount - 0.5, -0.5, rowCount - 0.5);
    }
}
