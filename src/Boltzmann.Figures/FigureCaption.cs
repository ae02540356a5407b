using Boltzmann.Data.Figures;

namespace Boltzmann.Figures;

/// <summary>
/// The one-line caption under a figure: its id and the metadata that say where it came from,
/// most useful first (pipeline, profile, key, stage, seed), then the rest alphabetically, so a
/// picture found on its own can be traced back to the run that produced it.
/// </summary>
public static class FigureCaption
{
    /// <summary>Metadata keys shown first, in this order, when present.</summary>
    public static IReadOnlyList<string> PriorityKeys { get; } = ["pipeline", "profile", "key", "stage_key", "stage", "seed"];

    /// <summary>"figure: id · pipeline: … · profile: … · key: … · other: …" (untruncated).</summary>
    public static string Compose(FigureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var parts = new List<string> { $"figure: {table.Figure}" };
        parts.AddRange(Ordered(table.Metadata).Select(kv => $"{kv.Key}: {kv.Value}"));
        return string.Join("  ·  ", parts.Select(p => p.ReplaceLineEndings(" ")));
    }

    /// <summary>Metadata in display order: <see cref="PriorityKeys"/> first, then the other keys in ordinal order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Ordered(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null) return [];
        var result = new List<KeyValuePair<string, string>>(metadata.Count);
        foreach (var key in PriorityKeys)
        {
            if (metadata.TryGetValue(key, out var value)) result.Add(new(key, value ?? string.Empty));
        }
        foreach (var key in metadata.Keys.Where(k => !PriorityKeys.Contains(k)).Order(StringComparer.Ordinal))
            result.Add(new(key, metadata[key] ?? string.Empty));
        return result;
    }
}
