using Boltzmann.Data.Figures;

namespace Boltzmann.Figures;

/// <summary>
/// Validates a figure table and converts each panel's tidy points into plot-ready series. Every
/// rejection names the figure, panel, series and offending value so a pipeline log points
/// straight at the bad row.
/// </summary>
internal static class PanelPreparation
{
    /// <summary>How far below the lowest plotted value a log-axis error bar that reaches y &lt;= 0 is cut off, in decades.</summary>
    private const double LogErrorClipDecades = 0.3;

    public static IReadOnlyList<PreparedPanel> Prepare(FigureTable table, FigureRenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        var figure = table.Figure ?? throw new ArgumentException("FigureTable.Figure is null.", nameof(table));
        if (table.Panels is null || table.Panels.Count == 0)
            throw new ArgumentException($"Figure '{figure}' declares no panels; there is nothing to draw.", nameof(table));
        if (table.Points is null)
            throw new ArgumentException($"Figure '{figure}' has a null Points list.", nameof(table));

        var panelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < table.Panels.Count; i++)
        {
            var panel = table.Panels[i] ?? throw new ArgumentException($"Figure '{figure}': panel {i} is null.", nameof(table));
            if (panel.Panel is null)
                throw new ArgumentException($"Figure '{figure}': panel {i} has a null name.", nameof(table));
            if (!Enum.IsDefined(panel.Kind))
                throw new ArgumentException($"Figure '{figure}', panel '{panel.Panel}': unknown plot kind {(int)panel.Kind}.", nameof(table));
            if (!panelIndex.TryAdd(panel.Panel, i))
                throw new ArgumentException($"Figure '{figure}' declares panel '{panel.Panel}' twice.", nameof(table));
        }

        var byPanel = new List<FigurePoint>[table.Panels.Count];
        for (var i = 0; i < byPanel.Length; i++) byPanel[i] = [];
        foreach (var point in table.Points)
        {
            if (!string.Equals(point.Figure, figure, StringComparison.Ordinal))
                throw new ArgumentException(
                    $"Figure '{figure}' contains a point of figure '{point.Figure}' (panel '{point.Panel}', series '{point.Series}'); " +
                    "every point's Figure must equal the table's.", nameof(table));
            if (point.Panel is null || !panelIndex.TryGetValue(point.Panel, out var index))
                throw new ArgumentException(
                    $"Figure '{figure}': a point of series '{point.Series}' refers to panel '{point.Panel}', which is not declared " +
                    $"(declared: {string.Join(", ", panelIndex.Keys.Select(k => $"'{k}'"))}).", nameof(table));
            byPanel[index].Add(point);
        }

        var colors = SeriesPalette.Assign(table);
        var prepared = new PreparedPanel[table.Panels.Count];
        for (var i = 0; i < prepared.Length; i++)
            prepared[i] = PreparePanel(figure, table.Panels[i], byPanel[i], colors, options.NonPositiveLogValues);
        return prepared;
    }

    private static PreparedPanel PreparePanel(
        string figure, FigurePanel panel, List<FigurePoint> points,
        IReadOnlyDictionary<string, string> colors, NonPositiveLogValues policy)
    {
        var where = $"Figure '{figure}', panel '{panel.Panel}'";
        // Bars are categories (evenly spaced, labelled with their x), so a log x axis means nothing for them.
        var logX = panel.LogX && panel.Kind != PlotKind.Bar;
        var logY = panel.LogY;
        // Series in order of first appearance, points sorted by x (stable, so ties keep table order).
        var groups = new List<(string Name, List<FigurePoint> Points)>();
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var dropped = 0;
        foreach (var point in points)
        {
            var name = point.Series ?? string.Empty;
            var at = $"{where}, series '{name}', point (x={point.X}, y={point.Y})";
            if (!double.IsFinite(point.X) || !double.IsFinite(point.Y))
                throw new ArgumentException($"{at}: x and y must be finite.");
            if (double.IsInfinity(point.YErr) || point.YErr < 0)
                throw new ArgumentException($"{at}: y_err {point.YErr} must be finite and >= 0 (NaN or 0 means no error bar).");
            if ((logX && point.X <= 0) || (logY && point.Y <= 0))
            {
                if (policy == NonPositiveLogValues.Reject)
                    throw new ArgumentException(
                        $"{at}: a log-{(logX && point.X <= 0 ? "x" : "y")} axis cannot show values <= 0. " +
                        "Fix the data, turn the log axis off, or render with NonPositiveLogValues.Drop to leave such points out.");
                dropped++;
                continue;
            }
            if (!lookup.TryGetValue(name, out var g))
            {
                g = groups.Count;
                lookup[name] = g;
                groups.Add((name, []));
            }
            groups[g].Points.Add(point);
        }

        var series = new List<PreparedSeries>(groups.Count);
        var lowestLog = double.PositiveInfinity;
        foreach (var (name, list) in groups)
        {
            var sorted = list.OrderBy(p => p.X).ToArray();
            if (panel.Kind == PlotKind.Histogram)
            {
                for (var i = 1; i < sorted.Length; i++)
                {
                    if (sorted[i].X == sorted[i - 1].X)
                        throw new ArgumentException($"{where}, series '{name}': histogram bin centre x={sorted[i].X} appears twice.");
                }
            }
            var n = sorted.Length;
            var xs = new double[n];
            var ys = new double[n];
            var below = new double[n];
            var above = new double[n];
            var hasErrors = false;
            for (var i = 0; i < n; i++)
            {
                var p = sorted[i];
                var err = double.IsNaN(p.YErr) ? 0 : p.YErr;
                hasErrors |= err > 0;
                xs[i] = logX ? Math.Log10(p.X) : p.X;
                if (logY)
                {
                    ys[i] = Math.Log10(p.Y);
                    lowestLog = Math.Min(lowestLog, ys[i]);
                    above[i] = Math.Log10(p.Y + err) - ys[i];
                    // NaN marks a lower end at or below zero; it is clipped once the panel's range is known.
                    below[i] = p.Y - err > 0 ? ys[i] - Math.Log10(p.Y - err) : double.NaN;
                    if (p.Y - err > 0) lowestLog = Math.Min(lowestLog, Math.Log10(p.Y - err));
                }
                else
                {
                    ys[i] = p.Y;
                    below[i] = err;
                    above[i] = err;
                }
            }
            series.Add(new PreparedSeries(name, ScottPlot.Color.FromHex(colors[name]), xs, ys, below, above, hasErrors));
        }

        var notes = new List<string>();
        if (logY)
        {
            var clipped = 0;
            var floor = lowestLog - LogErrorClipDecades;
            foreach (var s in series)
            {
                for (var i = 0; i < s.Y.Length; i++)
                {
                    if (!double.IsNaN(s.ErrorBelow[i])) continue;
                    s.ErrorBelow[i] = Math.Max(0, s.Y[i] - floor);
                    clipped++;
                }
            }
            if (clipped > 0)
                notes.Add($"{clipped} error bar{(clipped == 1 ? "" : "s")} reaching y ≤ 0 cut at the axis");
        }
        if (dropped > 0)
            notes.Add($"{dropped} point{(dropped == 1 ? "" : "s")} ≤ 0 omitted (log axis)");
        if (series.Count == 0)
            notes.Add("no data");
        return new PreparedPanel(panel, series, notes);
    }
}
