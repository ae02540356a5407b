using Boltzmann.Data.Figures;

namespace Boltzmann.Figures;

/// <summary>
/// Assigns each series name of a figure one colour, in order of first appearance in the figure's
/// points, so the same series (say "exact") has the same colour in every panel of the figure.
/// The colours are the ten-colour "category10" cycle familiar from matplotlib; after ten series
/// the cycle repeats (markers still separate them via the legend).
/// </summary>
public static class SeriesPalette
{
    /// <summary>The colour cycle as #RRGGBB strings.</summary>
    public static IReadOnlyList<string> Colors { get; } =
    [
        "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD",
        "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF",
    ];

    /// <summary>Series name to #RRGGBB colour for every series of <paramref name="table"/>.</summary>
    public static IReadOnlyDictionary<string, string> Assign(FigureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var point in table.Points)
        {
            var name = point.Series ?? string.Empty;
            if (!result.ContainsKey(name))
                result[name] = Colors[result.Count % Colors.Count];
        }
        return result;
    }
}
