using System.Globalization;
using Boltzmann.Data.Figures;

namespace Boltzmann.Stages.SkFlow.Figures;

/// <summary>
/// The 2-D histogram of triangle side differences (x = d_mid − d_min, y = d_max − d_mid) of Hartnett &amp; Mohseni
/// Figs. 5 and 7 as heat-map cells (<see cref="HeatmapCells"/>, <see cref="PlotKind.Heatmap"/>): <c>bins</c> × <c>bins</c>
/// square cells of width w on [0, bins·w], the same w for every panel of a figure so the panels compare; each cell holds
/// the fraction of the panel's triangles in it (empty cells are left out and drawn transparent).
/// </summary>
public static class TriangleHistogram
{
    public const int DefaultBins = 20;

    /// <summary>The common bin width for a figure whose largest side difference is <paramref name="maxDifference"/>.</summary>
    public static double BinWidth(double maxDifference, int bins = DefaultBins) =>
        maxDifference > 0 && double.IsFinite(maxDifference) ? maxDifference * (1 + 1e-9) / bins : 1.0 / bins;

    /// <summary>The cells of one panel from its triangles (x, y); row = y bin, column = x bin.</summary>
    public static IEnumerable<FigurePoint> Cells(string figure, string panel, IReadOnlyList<(double X, double Y)> triangles, double width,
                                                 int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(triangles);
        if (triangles.Count == 0) yield break;
        var counts = new int[bins, bins];
        foreach (var (x, y) in triangles)
        {
            int c = Math.Clamp((int)(x / width), 0, bins - 1), r = Math.Clamp((int)(y / width), 0, bins - 1);
            counts[r, c]++;
        }
        for (int r = 0; r < bins; r++)
            for (int c = 0; c < bins; c++)
                if (counts[r, c] > 0) yield return HeatmapCells.Cell(figure, panel, c, r, counts[r, c] / (double)triangles.Count);
    }

    /// <summary>An axis label naming the bin width, e.g. "d_mid - d_min (bins of 0.025)".</summary>
    public static string Axis(string quantity, double width) => $"{quantity} (bins of {width.ToString("G3", CultureInfo.InvariantCulture)})";
}
