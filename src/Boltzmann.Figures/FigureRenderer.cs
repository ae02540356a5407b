using Boltzmann.IO;
using Boltzmann.Data.Figures;
using SkiaSharp;

namespace Boltzmann.Figures;

/// <summary>
/// Renders a <see cref="FigureTable"/> to one PNG or SVG picture: the figure title on top, its
/// panels in a grid (<see cref="FigureLayout"/>), and a metadata caption below. Each panel is a
/// ScottPlot 5 plot drawn into its cell of a single Skia canvas, which works headless (no display,
/// no GUI toolkit). Per <see cref="PlotKind"/>: Line = lines, markers and capped error bars;
/// Scatter = markers and error bars; Bar = bars at categorical positions (distinct x values,
/// evenly spaced and labelled with their value; series side by side; LogX is ignored); Histogram
/// = step outline from the bin centres (<see cref="HistogramSteps"/>), series overlaid, uncapped
/// error bars. A legend appears when a panel has more than one series, in the corner covering the
/// least data. Each series name has one colour across all panels (<see cref="SeriesPalette"/>).
/// Log axes are emulated: ScottPlot 5 has no log axis, so log10 of the data is plotted on a linear
/// axis labelled with the untransformed values (<see cref="LogAxisTicks"/>); values &lt;= 0 are
/// rejected or dropped per <see cref="NonPositiveLogValues"/>, and error bars reaching below zero
/// are cut at the axis with a note. Files are written atomically. Output is deterministic for a
/// given table, size and font (SVG clip-path ids are renumbered, see <see cref="SvgClipIds"/>):
/// the tests check that two renders are byte-identical.
/// </summary>
public static class FigureRenderer
{
    private const float FigureTitleSize = 22;
    private const float MinimumTitleSize = 15;
    private const float CaptionSize = 13;
    private const float CaptionMargin = 10;
    private static readonly SKColor Background = SKColors.White;
    private static readonly SKColor TitleColor = new(0x20, 0x20, 0x20);
    private static readonly SKColor CaptionColor = new(0x60, 0x60, 0x60);

    /// <summary>Renders <paramref name="table"/> to a PNG file at <paramref name="path"/> (written atomically).</summary>
    /// <returns>The layout, whose <see cref="FigureLayout.Width"/> and <see cref="FigureLayout.Height"/> are the picture size.</returns>
    /// <exception cref="ArgumentException">Invalid table (the message names figure, panel, series and point).</exception>
    /// <exception cref="FigureFontException">No font to draw text with.</exception>
    public static FigureLayout RenderPng(FigureTable table, string path, int panelWidth = 640, int panelHeight = 480, FigureRenderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (bytes, layout) = EncodePng(table, panelWidth, panelHeight, options);
        AtomicFile.WriteAllBytes(path, bytes);
        return layout;
    }

    /// <summary>Renders <paramref name="table"/> to an SVG file at <paramref name="path"/> (written atomically).</summary>
    /// <inheritdoc cref="RenderPng" path="/returns"/>
    /// <inheritdoc cref="RenderPng" path="/exception"/>
    public static FigureLayout RenderSvg(FigureTable table, string path, int panelWidth = 640, int panelHeight = 480, FigureRenderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (bytes, layout) = EncodeSvg(table, panelWidth, panelHeight, options);
        AtomicFile.WriteAllBytes(path, bytes);
        return layout;
    }

    /// <summary>The PNG bytes of <paramref name="table"/>, without touching the file system.</summary>
    public static (byte[] Png, FigureLayout Layout) EncodePng(FigureTable table, int panelWidth = 640, int panelHeight = 480, FigureRenderOptions? options = null)
    {
        var (panels, layout, font) = Prepare(table, panelWidth, panelHeight, options);
        using var surface = SKSurface.Create(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not allocate a {layout.Width}x{layout.Height} surface for figure '{table.Figure}'.");
        Draw(surface.Canvas, table, panels, layout, font, options ?? FigureRenderOptions.Default);
        surface.Canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"Skia could not encode figure '{table.Figure}' as PNG.");
        return (data.ToArray(), layout);
    }

    /// <summary>The SVG document (UTF-8 bytes) of <paramref name="table"/>, without touching the file system.</summary>
    public static (byte[] Svg, FigureLayout Layout) EncodeSvg(FigureTable table, int panelWidth = 640, int panelHeight = 480, FigureRenderOptions? options = null)
    {
        var (panels, layout, font) = Prepare(table, panelWidth, panelHeight, options);
        using var stream = new MemoryStream();
        using (var managed = new SKManagedWStream(stream))
        using (var canvas = SKSvgCanvas.Create(SKRect.Create(layout.Width, layout.Height), managed))
        {
            Draw(canvas, table, panels, layout, font, options ?? FigureRenderOptions.Default);
        }
        return (SvgClipIds.Renumber(stream.ToArray()), layout);
    }

    /// <summary>Series name to #RRGGBB colour as drawn in every panel of <paramref name="table"/>.</summary>
    public static IReadOnlyDictionary<string, string> SeriesColors(FigureTable table) => SeriesPalette.Assign(table);

    private static (IReadOnlyList<PreparedPanel> Panels, FigureLayout Layout, FigureFontChoice Font) Prepare(
        FigureTable table, int panelWidth, int panelHeight, FigureRenderOptions? options)
    {
        ArgumentNullException.ThrowIfNull(table);
        var panels = PanelPreparation.Prepare(table, options ?? FigureRenderOptions.Default);
        var layout = FigureLayout.Compute(panels.Count, panelWidth, panelHeight);
        var font = FigureFonts.Ensure();
        return (panels, layout, font);
    }

    private static void Draw(SKCanvas canvas, FigureTable table, IReadOnlyList<PreparedPanel> panels, FigureLayout layout, FigureFontChoice font, FigureRenderOptions options)
    {
        using (var paint = new SKPaint { Color = Background, Style = SKPaintStyle.Fill })
            canvas.DrawRect(SKRect.Create(layout.Width, layout.Height), paint);

        DrawText(canvas, table.Title ?? table.Figure, FigureFonts.Typeface(bold: true), FigureTitleSize, MinimumTitleSize, TitleColor,
            layout.Width / 2f, layout.HeaderHeight / 2f, SKTextAlign.Center, layout.Width - 2 * CaptionMargin);

        for (var i = 0; i < panels.Count; i++)
        {
            var (left, top, right, bottom) = layout.PanelRect(i);
            using var plot = PanelPlotBuilder.Build(panels[i], font.Family, layout.PanelWidth, layout.PanelHeight);
            canvas.Save();
            canvas.ClipRect(SKRect.Create(left, top, right - left, bottom - top));
            plot.Render(canvas, new ScottPlot.PixelRect(left, right, bottom, top));
            canvas.Restore();
        }

        if (options.ShowCaption)
        {
            var y = layout.Height - layout.FooterHeight / 2f;
            DrawText(canvas, FigureCaption.Compose(table), FigureFonts.Typeface(bold: false), CaptionSize, CaptionSize, CaptionColor,
                CaptionMargin, y, SKTextAlign.Left, layout.Width - 2 * CaptionMargin);
        }
    }

    /// <summary>
    /// Draws one line of text vertically centred on <paramref name="centreY"/>: at <paramref name="size"/>
    /// if it fits in <paramref name="maxWidth"/>, else smaller down to <paramref name="minSize"/>, else
    /// shortened with an ellipsis.
    /// </summary>
    private static void DrawText(SKCanvas canvas, string text, SKTypeface typeface, float size, float minSize, SKColor color, float x, float centreY, SKTextAlign align, float maxWidth)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        using var font = new SKFont(typeface, size) { Subpixel = true, Edging = SKFontEdging.Antialias };
        while (font.Size > minSize && font.MeasureText(oneLine) > maxWidth) font.Size = Math.Max(minSize, font.Size - 1);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        var line = Ellipsize(oneLine, font, maxWidth);
        var metrics = font.Metrics;
        var baseline = centreY - (metrics.Ascent + metrics.Descent) / 2f;
        canvas.DrawText(line, x, baseline, align, font, paint);
    }

    private static string Ellipsize(string text, SKFont font, float maxWidth)
    {
        if (font.MeasureText(text) <= maxWidth) return text;
        const string ellipsis = "…";
        var lo = 0;
        var hi = text.Length;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (font.MeasureText(string.Concat(text.AsSpan(0, mid), ellipsis)) <= maxWidth) lo = mid;
            else hi = mid - 1;
        }
        return string.Concat(text.AsSpan(0, lo), ellipsis);
    }
}
