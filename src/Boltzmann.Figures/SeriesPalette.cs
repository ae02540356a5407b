using Boltzmann.Data.Figures;

namespace Boltzmann.Figures;

/// <summary>
/// Assigns each series name of a figure one colour, in order of first appearance in the figure's
/// points, so the same series (say "exact") has the same colour in every panel of the figure.
/// The colours are the ten-colour "category10" cycle familiar from matplotlib, then its ten lighter
/// companions ("tab20"), so a figure of up to twenty series (the NeuralRG Fig. 3 has twelve) never shows two in one
/// colour; after twenty the cycle repeats (the legend still separates them).
/// </summary>
public static class SeriesPalette
{
    /// <summary>The colour cycle as #RRGGBB strings.</summary>
    public static IReadOnlyList<string> Colors { get; } =
    [
        "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD",
        "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF",
        "#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896", "#C5B0D5",
        "#C49C94", "#F7B6D2", "#C7C7C7", "#DBDB8D", "#9EDAE5",
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
