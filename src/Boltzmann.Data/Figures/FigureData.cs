namespace Boltzmann.Data.Figures;

/// <summary>How a panel's series are drawn.</summary>
public enum PlotKind
{
    /// <summary>Lines through points, with error bars where y_err &gt; 0.</summary>
    Line,
    /// <summary>Markers only, with error bars where y_err &gt; 0.</summary>
    Scatter,
    /// <summary>Vertical bars at x (e.g. swap acceptance per neighbouring pair).</summary>
    Bar,
    /// <summary>A histogram given as bin centres x and densities y (e.g. P(q)), drawn as steps.</summary>
    Histogram,
    /// <summary>A 2-D colour map with a colour bar; cells encoded by <see cref="HeatmapCells"/> (series "row R", x = column, y = value).</summary>
    Heatmap,
}

/// <summary>
/// One tidy row of figure data: (figure, panel, series, x, y, y_err). Every figure the project
/// emits is a list of these plus panel metadata, so figures can be re-plotted by any tool.
/// </summary>
public readonly record struct FigurePoint(string Figure, string Panel, string Series, double X, double Y, double YErr);

/// <summary>
/// Axis labels and style of one panel; the points live in <see cref="FigureTable.Points"/>.
/// <paramref name="LineSeries"/> names series drawn as plain lines without markers in a Line or Scatter
/// panel, e.g. an exact curve on a fine grid under Monte Carlo estimates with error bars.
/// </summary>
public sealed record FigurePanel(
    string Panel,
    string Title,
    string XLabel,
    string YLabel,
    PlotKind Kind = PlotKind.Line,
    bool LogX = false,
    bool LogY = false,
    IReadOnlyList<string>? LineSeries = null);

/// <summary>
/// A figure: its panels, its tidy points, and free-form metadata (pipeline, profile, stage key,
/// parameters) that is written next to the data and into the rendered picture's caption.
/// </summary>
public sealed record FigureTable(
    string Figure,
    string Title,
    IReadOnlyList<FigurePanel> Panels,
    IReadOnlyList<FigurePoint> Points,
    IReadOnlyDictionary<string, string> Metadata);
