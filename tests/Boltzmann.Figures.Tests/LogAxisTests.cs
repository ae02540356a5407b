using System.Text;
using System.Xml.Linq;
using Boltzmann.Data.Figures;

namespace Boltzmann.Figures.Tests;

public sealed class LogAxisTests
{
    [Fact]
    public void Ticks_SeveralDecades_LabelDecadesWithUntransformedValues()
    {
        var ticks = LogAxisTicks.Generate(-2, 2);
        var majors = ticks.Where(t => t.IsMajor).ToList();
        Assert.Equal(["0.01", "0.1", "1", "10", "100"], majors.Select(t => t.Label));
        Assert.Equal([-2.0, -1, 0, 1, 2], majors.Select(t => t.Position));
        // Minor ticks at log10(2..9) inside each decade: 4 decades x 8.
        var minors = ticks.Where(t => !t.IsMajor).ToList();
        Assert.Equal(32, minors.Count);
        Assert.All(minors, t => Assert.Equal(string.Empty, t.Label));
        Assert.Contains(minors, t => Math.Abs(t.Position - Math.Log10(3)) < 1e-12);
    }

    [Fact]
    public void Ticks_LessThanTwoDecades_AddTwoAndFive()
    {
        // tau_int between ~1.7 and ~65: decades 10 only -> 2, 5, 10, 20, 50.
        var majors = LogAxisTicks.Generate(Math.Log10(1.7), Math.Log10(65)).Where(t => t.IsMajor).Select(t => t.Label).ToList();
        Assert.Equal(["2", "5", "10", "20", "50"], majors);
    }

    [Fact]
    public void Ticks_NarrowRange_LabelEveryMantissa_OrEvenlySpaced()
    {
        var majors = LogAxisTicks.Generate(Math.Log10(2.5), Math.Log10(4.5)).Where(t => t.IsMajor).Select(t => t.Label).ToList();
        Assert.Equal(["3", "4"], majors);

        var narrow = LogAxisTicks.Generate(Math.Log10(3.01), Math.Log10(3.09));
        Assert.Equal(["3.02", "3.04", "3.06", "3.08"], narrow.Select(t => t.Label));
        Assert.All(narrow, t => Assert.Equal(Math.Log10(double.Parse(t.Label, System.Globalization.CultureInfo.InvariantCulture)), t.Position, 12));

        var around100 = LogAxisTicks.Generate(Math.Log10(94.6), Math.Log10(105));
        Assert.Equal(["96", "98", "100", "102", "104"], around100.Select(t => t.Label));
    }

    [Fact]
    public void Ticks_ManyDecades_AreThinned()
    {
        var majors = LogAxisTicks.Generate(-12, 12).Where(t => t.IsMajor).ToList();
        Assert.InRange(majors.Count, 3, LogAxisTicks.MaximumDecadeLabels + 1);
        Assert.Contains(majors, t => t.Label == "1");
        Assert.Contains(majors, t => t.Label == "1e-12");
    }

    [Fact]
    public void Ticks_RejectBadRanges()
    {
        Assert.Throws<ArgumentException>(() => LogAxisTicks.Generate(1, 0));
        Assert.Throws<ArgumentException>(() => LogAxisTicks.Generate(double.NegativeInfinity, 0));
    }

    [Theory]
    [InlineData(1, 0, "1")]
    [InlineData(2, -3, "0.002")]
    [InlineData(5, 2, "500")]
    [InlineData(1, 6, "1e+06")]
    [InlineData(2, -7, "2e-07")]
    public void Format_WritesPlainOrScientific(int mantissa, int exponent, string expected) =>
        Assert.Equal(expected, LogAxisTicks.Format(mantissa, exponent));

    [Fact]
    public void LogPanel_IsLabelledInUntransformedUnits()
    {
        var points = Enumerable.Range(0, 5).Select(i => new FigurePoint("l", "p", "s", i, Math.Pow(10, i - 2), 0)).ToList();
        var table = new FigureTable("l", "Log", [new FigurePanel("p", "Log y", "x", "y", PlotKind.Line, LogY: true)], points, new Dictionary<string, string>());
        var doc = XDocument.Parse(Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(table).Svg));
        var texts = doc.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToHashSet();
        foreach (var label in new[] { "0.01", "0.1", "1", "10", "100" }) Assert.Contains(label, texts);
        Assert.DoesNotContain("-2", texts);
        Assert.DoesNotContain("-1", texts);
    }

    [Fact]
    public void NonPositiveValue_OnLogAxis_IsRejectedWithClearMessage()
    {
        var table = TestTables.TwoSeries(PlotKind.Line, logY: true);
        table = table with { Points = [.. table.Points, new FigurePoint("f", "p", "beta", 3.5, 0, 0)] };
        var message = Assert.Throws<ArgumentException>(() => FigureRenderer.EncodePng(table)).Message;
        Assert.Contains("panel 'p'", message);
        Assert.Contains("series 'beta'", message);
        Assert.Contains("log-y", message);
        Assert.Contains(nameof(NonPositiveLogValues.Drop), message);

        var logX = new FigureTable("f", "x", [new FigurePanel("p", "t", "x", "y", PlotKind.Scatter, LogX: true)],
            [new FigurePoint("f", "p", "s", -1, 1, 0)], new Dictionary<string, string>());
        Assert.Contains("log-x", Assert.Throws<ArgumentException>(() => FigureRenderer.EncodePng(logX)).Message);
    }

    [Fact]
    public void NonPositiveValue_WithDropPolicy_IsOmittedAndStated()
    {
        var table = TestTables.TwoSeries(PlotKind.Line, logY: true);
        table = table with { Points = [.. table.Points, new FigurePoint("f", "p", "beta", 3.5, -2, 0), new FigurePoint("f", "p", "alpha", 4.5, 0, 0)] };
        var options = new FigureRenderOptions(NonPositiveLogValues.Drop);
        var svg = RenderSvgText(table, options);
        Assert.Contains("2 points ≤ 0 omitted (log axis)", svg);

        // Dropping is the same as leaving the points out, apart from the note.
        var clean = TestTables.TwoSeries(PlotKind.Line, logY: true);
        var png = new PngInspection(FigureRenderer.EncodePng(table, options: options).Png);
        var reference = new PngInspection(FigureRenderer.EncodePng(clean, options: options).Png);
        Assert.Equal(reference.Count(TestTables.ColorB, 0), png.Count(TestTables.ColorB, 0), tolerance: reference.Count(TestTables.ColorB, 0) * 0.1);
    }

    [Fact]
    public void ErrorBarReachingZero_OnLogAxis_IsCutAndStated()
    {
        var table = TestTables.TwoSeries(PlotKind.Scatter, yErr: 0.05, logY: true);
        table = table with { Points = [.. table.Points, new FigurePoint("f", "p", "alpha", 2.5, 0.1, 0.3)] };
        Assert.Contains("1 error bar reaching y ≤ 0 cut at the axis", RenderSvgText(table, FigureRenderOptions.Default));
    }

    [Fact]
    public void LogXBars_AreCategorical_SoNonPositiveXIsAllowed()
    {
        var table = new FigureTable("b", "Bars", [new FigurePanel("p", "t", "x", "y", PlotKind.Bar, LogX: true)],
            [new FigurePoint("b", "p", "s", 0, 1, 0), new FigurePoint("b", "p", "s", 1, 2, 0)], new Dictionary<string, string>());
        var png = new PngInspection(FigureRenderer.EncodePng(table).Png);
        Assert.True(png.Count(TestTables.ColorA) > 1000);
    }

    private static string RenderSvgText(FigureTable table, FigureRenderOptions options) =>
        FigureRendererTests.Squash(Encoding.UTF8.GetString(FigureRenderer.EncodeSvg(table, options: options).Svg));
}
