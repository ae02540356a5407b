using System.Globalization;
using Boltzmann.Data.Figures;
using ScottPlot;

namespace Boltzmann.Figures;

/// <summary>
/// Builds the ScottPlot <see cref="Plot"/> of one prepared panel: series drawn per
/// <see cref="PlotKind"/>, error bars where y_err &gt; 0, log10 tick labels on log axes, and a
/// legend (in the emptiest corner) when the panel has more than one series.
/// </summary>
internal static class PanelPlotBuilder
{
    public const float TitleSize = 18;
    public const float AxisLabelSize = 16;
    public const float TickLabelSize = 14;
    public const float LegendSize = 14;
    public const float NoteSize = 12;

    /// <summary>Bar groups fill this fraction of the unit spacing between neighbouring categories.</summary>
    private const double BarGroupFraction = 0.8;

    /// <summary>With more bar categories than this, only every k-th category is labelled.</summary>
    private const int MaxLabelledBars = 40;

    private static readonly Color ErrorBarOnBarsColor = Color.FromHex("#303030");
    private static readonly Color NoteColor = Color.FromHex("#505050");

    /// <summary>Approximate pixels around the data area (axes, tick labels, title) used to size legend boxes before rendering.</summary>
    private const int HorizontalChrome = 100;
    private const int VerticalChrome = 120;

    public static Plot Build(PreparedPanel prepared, string fontFamily, int panelWidth, int panelHeight)
    {
        var panel = prepared.Panel;
        bool IsPlainLine(PreparedSeries s) => panel.LineSeries?.Contains(s.Name) == true;
        var categories = Array.Empty<double>();
        if (panel.Kind == PlotKind.Bar) (prepared, categories) = ToCategorical(prepared);
        var plot = new Plot();
        plot.RenderManager.ClearCanvasBeforeEachRender = false;

        switch (panel.Kind)
        {
            case PlotKind.Line:
            case PlotKind.Scatter:
                // Plain-line series (exact curves) first, so markers and error bars sit on top of them.
                foreach (var s in prepared.Series.Where(IsPlainLine)) AddLine(plot, s, showLine: true, markers: false);
                foreach (var s in prepared.Series.Where(s => !IsPlainLine(s))) AddLine(plot, s, showLine: panel.Kind == PlotKind.Line);
                break;
            case PlotKind.Histogram:
                foreach (var s in prepared.Series) AddHistogram(plot, s, panel.LogY);
                break;
            case PlotKind.Bar:
                AddBars(plot, prepared, categories, panelWidth);
                break;
            case PlotKind.Heatmap:
                HeatmapPanel.Add(plot, prepared);
                break;
            default:
                throw new ArgumentException($"Panel '{panel.Panel}': unknown plot kind {panel.Kind}.");
        }

        plot.Font.Set(fontFamily);
        plot.Title(panel.Title ?? string.Empty, TitleSize);
        plot.XLabel(panel.XLabel ?? string.Empty, AxisLabelSize);
        plot.YLabel(panel.YLabel ?? string.Empty, AxisLabelSize);
        plot.Axes.Bottom.TickLabelStyle.FontSize = TickLabelSize;
        plot.Axes.Left.TickLabelStyle.FontSize = TickLabelSize;

        if (panel.Kind == PlotKind.Heatmap) HeatmapPanel.SetLimits(plot, prepared);
        else SetLimits(plot, prepared);
        var dataWidth = Math.Max(40, panelWidth - HorizontalChrome);
        var dataHeight = Math.Max(40, panelHeight - VerticalChrome);
        if (prepared.Series.Count > 1 && panel.Kind != PlotKind.Heatmap) AddLegend(plot, prepared, fontFamily, dataWidth, dataHeight);
        else plot.Legend.IsVisible = false;
        // Log ticks after the legend: it may have raised the top of the y axis.
        if (panel.LogX) plot.Axes.Bottom.TickGenerator = LogTicks(plot.Axes.Bottom.Min, plot.Axes.Bottom.Max);
        if (panel.LogY) plot.Axes.Left.TickGenerator = LogTicks(plot.Axes.Left.Min, plot.Axes.Left.Max);
        if (panel.LogX || panel.LogY)
        {
            plot.Grid.MinorLineWidth = 1;
            plot.Grid.MinorLineColor = Colors.Black.WithAlpha(0.05);
        }

        if (prepared.Notes.Count > 0) AddNotes(plot, prepared, fontFamily);
        return plot;
    }

    private static void AddLine(Plot plot, PreparedSeries s, bool showLine, bool markers = true)
    {
        if (s.HasErrors) AddErrorBars(plot, s, s.Color);
        var scatter = plot.Add.Scatter(s.X, s.Y, s.Color);
        scatter.LegendText = s.Name;
        scatter.LineWidth = showLine ? 2 : 0;
        scatter.MarkerShape = markers ? MarkerShape.FilledCircle : MarkerShape.None;
        scatter.MarkerSize = markers ? (showLine ? 7 : 8) : 0;
    }

    private static void AddHistogram(Plot plot, PreparedSeries s, bool logY)
    {
        if (s.X.Length == 0) return;
        var (xs, ys) = HistogramSteps.Outline(s.X, s.Y, logY ? null : 0.0);
        var step = plot.Add.ScatterLine(xs, ys, s.Color);
        step.LegendText = s.Name;
        step.LineWidth = 2;
        step.MarkerSize = 0;
        // No caps: on a step curve they would read as extra steps.
        if (s.HasErrors) AddErrorBars(plot, s, s.Color, capSize: 0);
    }

    private static void AddErrorBars(Plot plot, PreparedSeries s, Color color, float capSize = 5)
    {
        var bars = new ScottPlot.Plottables.ErrorBar(s.X, s.Y, null, null, s.ErrorAbove, s.ErrorBelow)
        {
            Color = color,
            LineWidth = 1.5f,
            CapSize = capSize,
        };
        plot.Add.Plottable(bars);
    }

    /// <summary>
    /// Bars are categorical: the distinct x values of the panel, sorted, sit at 0, 1, 2, ... and
    /// are labelled with their value (pair index, or a pair's temperature, which may be spaced
    /// geometrically). Several series form side-by-side groups. Returns the panel with x replaced
    /// by bar positions, and the category values.
    /// </summary>
    private static (PreparedPanel Plotted, double[] Categories) ToCategorical(PreparedPanel prepared)
    {
        var categories = prepared.Series.SelectMany(s => s.X).Distinct().Order().ToArray();
        var index = new Dictionary<double, int>();
        for (var i = 0; i < categories.Length; i++) index[categories[i]] = i;
        var count = prepared.Series.Count;
        var width = BarGroupFraction / Math.Max(1, count);
        var series = prepared.Series
            .Select((s, j) => s with { X = s.X.Select(x => index[x] + (j - (count - 1) / 2.0) * width).ToArray() })
            .ToList();
        return (prepared with { Series = series }, categories);
    }

    private static void AddBars(Plot plot, PreparedPanel plotted, double[] categories, int panelWidth)
    {
        if (categories.Length == 0) return;
        var width = BarGroupFraction / plotted.Series.Count;
        var baseline = BarBaseline(plotted);
        foreach (var s in plotted.Series)
        {
            var bars = new List<Bar>(s.X.Length);
            for (var i = 0; i < s.X.Length; i++)
            {
                bars.Add(new Bar
                {
                    Position = s.X[i],
                    Value = s.Y[i],
                    ValueBase = baseline,
                    Size = width * 0.92,
                    FillColor = s.Color,
                    LineWidth = 0,
                });
            }
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = s.Name;
            plottable.Color = s.Color;
            if (s.HasErrors) AddErrorBars(plot, s, ErrorBarOnBarsColor);
        }

        // Label every category, or every k-th when there are too many.
        var step = (int)Math.Ceiling(categories.Length / (double)MaxLabelledBars);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var labels = new List<string>();
        for (var i = 0; i < categories.Length; i += step)
        {
            labels.Add(FormatX(categories[i]));
            ticks.AddMajor(i, labels[^1]);
        }
        plot.Axes.Bottom.TickGenerator = ticks;

        // Rotate the labels when, measured in the figure font, they would not fit side by side.
        using var font = new SkiaSharp.SKFont(FigureFonts.Typeface(bold: false), TickLabelSize);
        var widest = labels.Max(l => font.MeasureText(l));
        if (labels.Count * (widest + 6) > panelWidth - HorizontalChrome)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = widest * 0.71f + TickLabelSize + AxisLabelSize + 24;
        }
    }

    /// <summary>Bars rise from 0 on a linear axis; on a log axis (no zero) from just below the lowest bar's decade.</summary>
    private static double BarBaseline(PreparedPanel prepared)
    {
        if (!prepared.Panel.LogY) return 0;
        var lowest = prepared.Series.SelectMany(s => s.Y).DefaultIfEmpty(0).Min();
        var floor = Math.Floor(lowest);
        return lowest - floor < 0.1 ? floor - 1 : floor;
    }

    private static string FormatX(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static ScottPlot.TickGenerators.NumericManual LogTicks(double min, double max)
    {
        var generator = new ScottPlot.TickGenerators.NumericManual();
        var lo = Math.Min(min, max);
        var hi = Math.Max(min, max);
        foreach (var tick in LogAxisTicks.Generate(lo, hi))
        {
            if (tick.IsMajor) generator.AddMajor(tick.Position, tick.Label);
            else generator.AddMinor(tick.Position);
        }
        return generator;
    }

    /// <summary>
    /// Axis limits from the data (ScottPlot's autoscale with margins); bars and linear histograms
    /// stand on the x axis; the lower end of a log axis is not allowed below what the data need.
    /// </summary>
    private static void SetLimits(Plot plot, PreparedPanel prepared)
    {
        if (prepared.Series.Count == 0)
        {
            plot.Axes.SetLimits(0, 1, 0, 1);
            return;
        }
        plot.Axes.Margins(0.05, 0.08);
        plot.Axes.AutoScale();
        var kind = prepared.Panel.Kind;
        if ((kind == PlotKind.Bar || kind == PlotKind.Histogram) && !prepared.Panel.LogY)
        {
            var limits = plot.Axes.GetLimits();
            var minY = prepared.Series.SelectMany(s => s.Y).Min();
            if (minY >= 0) plot.Axes.SetLimitsY(0, limits.Top);
        }
        if (kind == PlotKind.Bar && prepared.Panel.LogY)
            plot.Axes.SetLimitsY(BarBaseline(prepared), plot.Axes.GetLimits().Top);
    }

    /// <summary>
    /// Shows the legend in the corner where it covers the least data; if every corner holds data,
    /// raises the top of the y axis so the data sit below the legend box.
    /// </summary>
    private static LegendCorner AddLegend(Plot plot, PreparedPanel prepared, string fontFamily, int dataWidth, int dataHeight)
    {
        var longest = prepared.Series.Max(s => s.Name.Length);
        var boxWidth = Math.Min(1, (longest * 0.62 * LegendSize + 60) / dataWidth);
        var boxHeight = Math.Min(1, (prepared.Series.Count * 1.5 * LegendSize + 40) / dataHeight);
        var counts = LegendPlacement.Count(Samples(plot, prepared), boxWidth, boxHeight);
        if (counts.Min() > 0 && boxHeight < 0.6)
        {
            var limits = plot.Axes.GetLimits();
            var height = limits.Top - limits.Bottom;
            plot.Axes.SetLimitsY(limits.Bottom, limits.Bottom + height / (1 - boxHeight));
        }
        var corner = LegendPlacement.Choose(Samples(plot, prepared), boxWidth, boxHeight);
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = ToAlignment(corner);
        plot.Legend.FontSize = LegendSize;
        plot.Legend.FontName = fontFamily;
        plot.Legend.SetBestFontOnEachRender = false;
        plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.85);
        return corner;
    }

    private static Alignment ToAlignment(LegendCorner corner) => corner switch
    {
        LegendCorner.UpperLeft => Alignment.UpperLeft,
        LegendCorner.LowerRight => Alignment.LowerRight,
        LegendCorner.LowerLeft => Alignment.LowerLeft,
        _ => Alignment.UpperRight,
    };

    /// <summary>
    /// Data ink in normalised axis coordinates (0..1 across the visible data area): points,
    /// points along connecting lines and histogram steps, error bars, and bar bodies.
    /// </summary>
    private static IEnumerable<(double X, double Y)> Samples(Plot plot, PreparedPanel prepared)
    {
        var limits = plot.Axes.GetLimits();
        var w = limits.Right - limits.Left;
        var h = limits.Top - limits.Bottom;
        if (!(w > 0) || !(h > 0)) yield break;
        (double, double) Normalise(double x, double y) => ((x - limits.Left) / w, (y - limits.Bottom) / h);
        var kind = prepared.Panel.Kind;
        var baseline = kind == PlotKind.Bar ? BarBaseline(prepared) : limits.Bottom;
        foreach (var s in prepared.Series)
        {
            if (s.X.Length == 0) continue;
            for (var i = 0; i < s.X.Length; i++)
            {
                yield return Normalise(s.X[i], s.Y[i]);
                if (s.HasErrors)
                {
                    for (var k = 0; k <= 4; k++)
                        yield return Normalise(s.X[i], s.Y[i] - s.ErrorBelow[i] + (s.ErrorBelow[i] + s.ErrorAbove[i]) * k / 4.0);
                }
                if (kind == PlotKind.Bar)
                {
                    for (var k = 0; k <= 8; k++)
                        yield return Normalise(s.X[i], baseline + (s.Y[i] - baseline) * k / 8.0);
                }
            }
            if (kind is PlotKind.Scatter or PlotKind.Bar) continue;
            // Connecting lines: the polyline through the points, or the histogram's step outline.
            var (xs, ys) = kind == PlotKind.Histogram ? HistogramSteps.Outline(s.X, s.Y, null) : (s.X, s.Y);
            for (var i = 1; i < xs.Length; i++)
            {
                for (var k = 0; k < 16; k++)
                {
                    var t = k / 16.0;
                    yield return Normalise(xs[i - 1] + t * (xs[i] - xs[i - 1]), ys[i - 1] + t * (ys[i] - ys[i - 1]));
                }
            }
        }
    }

    /// <summary>
    /// Notes (dropped or clipped points) go in a small grey line between the title and the data
    /// area, where they never cover data; an empty panel says "no data" in its middle.
    /// </summary>
    private static void AddNotes(Plot plot, PreparedPanel prepared, string fontFamily)
    {
        var text = string.Join("; ", prepared.Notes);
        if (prepared.Series.Count == 0)
        {
            var note = plot.Add.Annotation(text, Alignment.MiddleCenter);
            note.LabelFontName = fontFamily;
            note.LabelFontSize = AxisLabelSize;
            note.LabelFontColor = NoteColor;
            note.LabelBackgroundColor = Colors.Transparent;
            note.LabelBorderWidth = 0;
            note.LabelShadowColor = Colors.Transparent;
            return;
        }
        var panel = new ScottPlot.Panels.TitlePanel();
        panel.Label.Text = text;
        panel.Label.FontName = fontFamily;
        panel.Label.FontSize = NoteSize;
        panel.Label.ForeColor = NoteColor;
        panel.Label.Bold = false;
        plot.Axes.AddPanel(panel);
    }
}
