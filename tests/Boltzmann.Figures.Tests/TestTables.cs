using Boltzmann.Data.Figures;

namespace Boltzmann.Figures.Tests;

/// <summary>Small hand-made figure tables for focused tests.</summary>
internal static class TestTables
{
    public const string ColorA = "#1F77B4";
    public const string ColorB = "#FF7F0E";

    /// <summary>One panel of <paramref name="kind"/> with series "alpha" and "beta" (colours A and B), 12 points each.</summary>
    public static FigureTable TwoSeries(PlotKind kind, double yErr = 0.05, bool logY = false)
    {
        var points = new List<FigurePoint>();
        for (var i = 0; i < 12; i++)
        {
            var x = kind == PlotKind.Histogram ? -1 + i * (2.0 / 11) : i;
            points.Add(new FigurePoint("f", "p", "alpha", x, 1 + 0.5 * Math.Sin(i / 2.0), yErr));
            points.Add(new FigurePoint("f", "p", "beta", x, 0.6 + 0.3 * Math.Cos(i / 3.0), yErr));
        }
        return new FigureTable("f", "Two series", [new FigurePanel("p", "Panel title", "x label", "y label", kind, LogY: logY)], points,
            new Dictionary<string, string> { ["pipeline"] = "test" });
    }

    /// <summary><paramref name="panels"/> line panels; panel k has one series "s{k mod 2}".</summary>
    public static FigureTable Panels(int panels)
    {
        var points = new List<FigurePoint>();
        var declared = new List<FigurePanel>();
        for (var k = 0; k < panels; k++)
        {
            declared.Add(new FigurePanel($"p{k}", $"Panel {k}", "x", "y"));
            for (var i = 0; i < 5; i++) points.Add(new FigurePoint("multi", $"p{k}", $"s{k % 2}", i, i * i + k, 0.5));
        }
        return new FigureTable("multi", "Many panels", declared, points, new Dictionary<string, string>());
    }
}
