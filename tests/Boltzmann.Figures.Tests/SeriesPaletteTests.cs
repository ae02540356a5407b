using Boltzmann.Data.Figures;
using Boltzmann.Figures;
using Xunit;

namespace Boltzmann.Figures.Tests;

public sealed class SeriesPaletteTests
{
    [Fact]
    public void TwelveSeriesGetTwelveColoursAndTheFirstTenKeepCategory10()
    {
        // The NeuralRG Fig. 3 has twelve series over its two panels; with a ten-colour cycle two of them shared a colour.
        var points = Enumerable.Range(0, 12)
            .Select(i => new FigurePoint("f", i < 6 ? "a" : "b", $"series {i}", i, i, 0))
            .ToList();
        var table = new FigureTable("f", "twelve series",
            [new FigurePanel("a", "a", "x", "y", PlotKind.Line), new FigurePanel("b", "b", "x", "y", PlotKind.Line)],
            points, new Dictionary<string, string>());

        var colours = SeriesPalette.Assign(table);

        Assert.Equal(12, colours.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("#1F77B4", colours["series 0"]);   // figures of up to ten series are drawn as before
        Assert.Equal("#17BECF", colours["series 9"]);
    }
}
