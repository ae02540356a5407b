using System.Xml.Linq;
using Boltzmann.Data.Figures;

namespace Boltzmann.Figures.Tests;

public sealed class FigureRendererTests
{
    private const int W = 640;
    private const int H = 480;

    [Theory]
    [InlineData(PlotKind.Line)]
    [InlineData(PlotKind.Scatter)]
    [InlineData(PlotKind.Bar)]
    [InlineData(PlotKind.Histogram)]
    public void EveryKind_RendersPngOfLayoutSize_NotBlank_WithBothSeriesColours(PlotKind kind)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("figure.png");
        var layout = FigureRenderer.RenderPng(TestTables.TwoSeries(kind), path, W, H);

        var png = new PngInspection(File.ReadAllBytes(path));
        Assert.Equal(W, png.Width);
        Assert.Equal(FigureLayout.DefaultHeaderHeight + H + FigureLayout.DefaultFooterHeight, png.Height);
        Assert.Equal((layout.Width, layout.Height), (png.Width, png.Height));
        Assert.InRange(png.NonWhiteFraction(), 0.03, 0.9);
        // Series ink lies inside the panel cell, not in the title or caption strips.
        var (left, top, right, bottom) = layout.PanelRect(0);
        Assert.True(png.Count(TestTables.ColorA, x0: left, y0: top, x1: right, y1: bottom) > 150, "series alpha colour missing");
        Assert.True(png.Count(TestTables.ColorB, x0: left, y0: top, x1: right, y1: bottom) > 150, "series beta colour missing");
        Assert.Equal(0, png.Count(TestTables.ColorA, y1: top));
        Assert.Equal(0, png.Count(TestTables.ColorA, y0: bottom));
    }

    [Fact]
    public void TitleAndCaptionText_IsDrawn()
    {
        var (bytes, layout) = FigureRenderer.EncodePng(TestTables.TwoSeries(PlotKind.Line), W, H);
        var png = new PngInspection(bytes);
        // Dark title glyphs in the header strip, grey caption glyphs in the footer: proves a font rendered.
        Assert.True(png.Count("#202020", 40, y1: layout.HeaderHeight) > 300, "no title text in the header");
        Assert.True(png.Count("#606060", 40, y0: layout.Height - layout.FooterHeight) > 100, "no caption text in the footer");
    }

    [Theory]
    [InlineData(PlotKind.Line, TestTables.ColorA)]
    [InlineData(PlotKind.Scatter, TestTables.ColorA)]
    [InlineData(PlotKind.Histogram, TestTables.ColorA)]
    [InlineData(PlotKind.Bar, "#303030")]
    public void ErrorBars_AddInk_OnlyWhenYErrPositive(PlotKind kind, string errorBarColor)
    {
        var without = new PngInspection(FigureRenderer.EncodePng(TestTables.TwoSeries(kind, yErr: 0), W, H).Png);
        var with = new PngInspection(FigureRenderer.EncodePng(TestTables.TwoSeries(kind, yErr: 0.15), W, H).Png);
        var before = without.Count(errorBarColor, 20);
        var after = with.Count(errorBarColor, 20);
        Assert.True(after > before + 60, $"error bars added only {after - before} pixels of {errorBarColor}");
    }

    [Fact]
    public void Legend_IsShownOnlyWithMoreThanOneSeries()
    {
        var two = System.Text.Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(TestTables.TwoSeries(PlotKind.Line), W, H).Svg);
        Assert.Contains(">alpha<", Squash(two));
        Assert.Contains(">beta<", Squash(two));

        var table = TestTables.TwoSeries(PlotKind.Line);
        var one = table with { Points = table.Points.Where(p => p.Series == "alpha").ToList() };
        var svg = System.Text.Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(one, W, H).Svg);
        Assert.DoesNotContain(">alpha<", Squash(svg));
    }

    [Fact]
    public void SameSeries_HasSameColour_InEveryPanel()
    {
        var points = new List<FigurePoint>();
        for (var i = 0; i < 10; i++)
        {
            points.Add(new FigurePoint("c", "left", "PT", i, i, 0));
            points.Add(new FigurePoint("c", "left", "exact", i, 10 - i, 0));
            points.Add(new FigurePoint("c", "right", "exact", i, i * 0.5, 0));
        }
        var table = new FigureTable("c", "Colours", [new FigurePanel("left", "L", "x", "y"), new FigurePanel("right", "R", "x", "y")], points,
            new Dictionary<string, string>());
        var colors = FigureRenderer.SeriesColors(table);
        Assert.Equal(TestTables.ColorA, colors["PT"]);
        Assert.Equal(TestTables.ColorB, colors["exact"]);

        var (bytes, layout) = FigureRenderer.EncodePng(table, W, H);
        var png = new PngInspection(bytes);
        var (l0, t0, r0, b0) = layout.PanelRect(0);
        var (l1, t1, r1, b1) = layout.PanelRect(1);
        Assert.True(png.Count(colors["exact"], x0: l0, y0: t0, x1: r0, y1: b0) > 150);
        Assert.True(png.Count(colors["exact"], x0: l1, y0: t1, x1: r1, y1: b1) > 150);
        Assert.True(png.Count(colors["PT"], x0: l0, y0: t0, x1: r0, y1: b0) > 150);
        Assert.Equal(0, png.Count(colors["PT"], x0: l1, y0: t1, x1: r1, y1: b1));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(3, 3, 1)]
    [InlineData(4, 2, 2)]
    [InlineData(5, 3, 2)]
    [InlineData(7, 3, 3)]
    public void MultiPanel_PictureSize_FollowsGrid(int panels, int columns, int rows)
    {
        var (bytes, layout) = FigureRenderer.EncodePng(TestTables.Panels(panels), 320, 240);
        var png = new PngInspection(bytes);
        Assert.Equal((columns, rows), (layout.Columns, layout.Rows));
        Assert.Equal(columns * 320, png.Width);
        Assert.Equal(FigureLayout.DefaultHeaderHeight + rows * 240 + FigureLayout.DefaultFooterHeight, png.Height);
        // Every panel cell has its data drawn in it (series s0 = colour A, s1 = colour B).
        for (var k = 0; k < panels; k++)
        {
            var (l, t, r, b) = layout.PanelRect(k);
            Assert.True(png.Count(k % 2 == 0 ? TestTables.ColorA : TestTables.ColorB, x0: l, y0: t, x1: r, y1: b) > 40, $"panel {k} is empty");
        }
    }

    [Fact]
    public void Svg_IsWellFormedXml_WithLayoutSize_AndTexts()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("figure.svg");
        var layout = FigureRenderer.RenderSvg(DemoFigures.EnergyVersusTemperature(), path, W, H);
        var doc = XDocument.Load(path);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        Assert.Equal(layout.Width.ToString(), doc.Root.Attribute("width")!.Value);
        Assert.Equal(layout.Height.ToString(), doc.Root.Attribute("height")!.Value);
        var text = string.Join("|", doc.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()));
        Assert.Contains("Energy per spin", text);
        Assert.Contains("temperature T", text);
        Assert.Contains("pipeline: ising1d-pt", text);
    }

    [Fact]
    public void Svg_EscapesMarkupInTitlesAndMetadata()
    {
        var table = TestTables.TwoSeries(PlotKind.Line) with
        {
            Title = "<b>bold</b> & \"quoted\"",
            Metadata = new Dictionary<string, string> { ["note"] = "a < b && c > d" },
        };
        var svg = System.Text.Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(table, W, H).Svg);
        var doc = XDocument.Parse(svg);
        var text = string.Join("|", doc.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()));
        Assert.Contains("<b>bold</b> & \"quoted\"", text);
        Assert.Contains("a < b && c > d", text);
    }

    [Fact]
    public void Rendering_IsDeterministic_ByteForByte()
    {
        var table = DemoFigures.AllKinds();
        var png1 = FigureRenderer.EncodePng(table, 400, 300).Png;
        var png2 = FigureRenderer.EncodePng(table, 400, 300).Png;
        Assert.Equal(png1, png2);
        var svg1 = FigureRenderer.EncodeSvg(table, 400, 300).Svg;
        var svg2 = FigureRenderer.EncodeSvg(table, 400, 300).Svg;
        Assert.Equal(svg1, svg2);
    }

    [Fact]
    public void Write_IsAtomic_OverwritesAndLeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(Path.Combine("nested", "figure.png"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "old content");
        FigureRenderer.RenderPng(TestTables.TwoSeries(PlotKind.Line), path, W, H);
        FigureRenderer.RenderSvg(TestTables.TwoSeries(PlotKind.Line), Path.ChangeExtension(path, ".svg"), W, H);
        Assert.Equal(0x89, File.ReadAllBytes(path)[0]);
        Assert.Equal(["figure.png", "figure.svg"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }

    [Fact]
    public void FailedRender_LeavesExistingFileUntouched()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("figure.png");
        File.WriteAllText(path, "previous picture");
        var bad = TestTables.TwoSeries(PlotKind.Line) with { Panels = [] };
        Assert.Throws<ArgumentException>(() => FigureRenderer.RenderPng(bad, path));
        Assert.Equal("previous picture", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void InvalidTables_ThrowNamingTheProblem()
    {
        var good = TestTables.TwoSeries(PlotKind.Line);

        var unknownPanel = good with { Points = [.. good.Points, new FigurePoint("f", "ghost", "alpha", 1, 1, 0)] };
        Assert.Contains("'ghost'", Assert.Throws<ArgumentException>(() => FigureRenderer.EncodePng(unknownPanel)).Message);

        var duplicate = good with { Panels = [good.Panels[0], good.Panels[0]] };
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => FigureRenderer.EncodePng(duplicate)).Message);

        var otherFigure = good with { Points = [.. good.Points, new FigurePoint("g", "p", "alpha", 1, 1, 0)] };
        Assert.Contains("'g'", Assert.Throws<ArgumentException>(() => FigureRenderer.EncodePng(otherFigure)).Message);

        var nan = good with { Points = [.. good.Points, new FigurePoint("f", "p", "beta", 1, double.NaN, 0)] };
        var nanMessage = Assert.Throws<ArgumentException>(() => FigureRenderer.EncodePng(nan)).Message;
        Assert.Contains("'beta'", nanMessage);
        Assert.Contains("finite", nanMessage);

        var negativeError = good with { Points = [.. good.Points, new FigurePoint("f", "p", "beta", 1, 1, -0.1)] };
        Assert.Contains("y_err", Assert.Throws<ArgumentException>(() => FigureRenderer.EncodePng(negativeError)).Message);

        var duplicateBin = TestTables.TwoSeries(PlotKind.Histogram);
        duplicateBin = duplicateBin with { Points = [.. duplicateBin.Points, duplicateBin.Points[0]] };
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => FigureRenderer.EncodePng(duplicateBin)).Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => FigureRenderer.EncodePng(good, 100, 480));
    }

    [Fact]
    public void NaNErrors_MeanNoErrorBar()
    {
        var table = TestTables.TwoSeries(PlotKind.Scatter, yErr: double.NaN);
        var nan = FigureRenderer.EncodePng(table, W, H).Png;
        var zero = FigureRenderer.EncodePng(TestTables.TwoSeries(PlotKind.Scatter, yErr: 0), W, H).Png;
        Assert.Equal(zero, nan);
    }

    [Fact]
    public void BarLabels_AreRotatedOnlyWhenTheyWouldCollide()
    {
        const string rotated = "matrix(0.707107 0.707107";
        var pairs = System.Text.Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(DemoFigures.SwapAcceptance()).Svg);
        Assert.DoesNotContain(rotated, pairs);
        Assert.Contains(">18<", Squash(pairs));

        var swap = DemoFigures.SwapAcceptance();
        var temperatures = swap with { Points = swap.Points.Select(p => p with { X = Math.Round(0.3 * Math.Pow(1.1, p.X), 4) }).ToList() };
        var svg = System.Text.Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(temperatures).Svg);
        Assert.Equal(19, System.Text.RegularExpressions.Regex.Matches(svg, System.Text.RegularExpressions.Regex.Escape(rotated)).Count / 2);
    }

    [Fact]
    public void DegenerateData_StillRenders()
    {
        var points = new List<FigurePoint>
        {
            new("d", "single", "s", 1, 2, 0.1),
            new("d", "flat", "s", 0, 3, 0), new("d", "flat", "s", 1, 3, 0), new("d", "flat", "s", 2, 3, 0),
            new("d", "bin", "s", 0.5, 4, 0),
            new("d", "logone", "s", 10, 100, 5),
            new("d", "bar", "s", 7, 0.5, 0),
        };
        var table = new FigureTable("d", "Degenerate", [
            new FigurePanel("single", "one point", "x", "y"),
            new FigurePanel("flat", "constant y", "x", "y", PlotKind.Scatter),
            new FigurePanel("bin", "one bin", "x", "y", PlotKind.Histogram),
            new FigurePanel("logone", "one log point", "x", "y", PlotKind.Line, LogX: true, LogY: true),
            new FigurePanel("bar", "one bar", "x", "y", PlotKind.Bar),
        ], points, new Dictionary<string, string>());
        var (bytes, layout) = FigureRenderer.EncodePng(table, 320, 240);
        var png = new PngInspection(bytes);
        for (var k = 0; k < 5; k++)
        {
            var (l, t, r, b) = layout.PanelRect(k);
            Assert.True(png.Count(TestTables.ColorA, x0: l, y0: t, x1: r, y1: b) > 20, $"panel {k} shows no data");
        }
    }

    [Fact]
    public void EmptyPanel_SaysNoData()
    {
        var table = new FigureTable("e", "Empty", [new FigurePanel("p", "Nothing", "x", "y")], [], new Dictionary<string, string>());
        var svg = System.Text.Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(table, W, H).Svg);
        Assert.Contains(">no data<", Squash(svg));
    }

    [Fact]
    public void RealisticFigures_RenderWithEverySeriesVisible()
    {
        var outDir = Environment.GetEnvironmentVariable("BOLTZMANN_FIGURE_DEMO_DIR");
        using var temp = new TempDirectory();
        var dir = string.IsNullOrWhiteSpace(outDir) ? temp.Path : outDir;
        var entries = new List<FigureIndexEntry>();
        foreach (var table in new[] { DemoFigures.EnergyVersusTemperature(), DemoFigures.SwapAcceptance(), DemoFigures.OverlapDistribution(), DemoFigures.AllKinds() })
        {
            var png = Path.Combine(dir, table.Figure + ".png");
            var svg = Path.Combine(dir, table.Figure + ".svg");
            var layout = FigureRenderer.RenderPng(table, png);
            FigureRenderer.RenderSvg(table, svg);
            var image = new PngInspection(File.ReadAllBytes(png));
            Assert.Equal((layout.Width, layout.Height), (image.Width, image.Height));
            foreach (var (series, color) in FigureRenderer.SeriesColors(table))
                Assert.True(image.Count(color) > 100, $"{table.Figure}: series '{series}' ({color}) not visible");
            entries.Add(FigureIndexEntry.FromTable(table, png, [Path.Combine(dir, table.Figure + ".parquet")], svg));
        }
        var files = FigureIndex.Write(dir, entries);
        Assert.True(File.Exists(files.HtmlPath));
    }

    [Fact]
    public void CaptionCanBeTurnedOff()
    {
        var table = TestTables.TwoSeries(PlotKind.Line);
        var svg = System.Text.Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(table, W, H, new FigureRenderOptions(ShowCaption: false)).Svg);
        Assert.DoesNotContain("pipeline: test", Squash(svg));
        Assert.Contains("pipeline: test", Squash(System.Text.Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(table, W, H).Svg)));
    }

    [Fact]
    public void SvgClipIds_AreRenumberedInOrder_AndTextIsUntouched()
    {
        var table = TestTables.TwoSeries(PlotKind.Line) with { Title = "id=\"cl_ff\" url(#cl_ab)" };
        var svg = System.Text.Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(table, W, H).Svg);
        var doc = XDocument.Parse(svg);
        var ids = doc.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => $"cl_{i}"), ids);
        var references = doc.Descendants().Select(e => e.Attribute("clip-path")?.Value).OfType<string>().ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Contains(r[5..^1], ids));
        Assert.Contains(doc.Descendants().Where(e => e.Name.LocalName == "text"), e => e.Value.Trim() == "id=\"cl_ff\" url(#cl_ab)");
    }

    /// <summary>Skia writes each SVG text run on its own indented line; drop the whitespace around element content.</summary>
    internal static string Squash(string svg) =>
        System.Text.RegularExpressions.Regex.Replace(svg, @">\s+", ">").Replace("\n", "").Replace("\t", "").Replace("\r", "")
            .Replace(" <", "<");

}
