namespace Boltzmann.Cli;

/// <summary>
/// Which parts of <c>boltz bench</c> run (<c>--only</c>): every part by default, else the listed ones; "arnn.NAME"
/// selects one autoregressive architecture (its paper name, e.g. arnn.CW_inf), "arnn" all of them.
/// </summary>
public sealed class BenchParts
{
    private readonly HashSet<string>? _selected;

    private BenchParts(HashSet<string>? selected) => _selected = selected;

    /// <summary>Every part.</summary>
    public static BenchParts All { get; } = new(null);

    /// <summary>Parses a comma-separated list; null or empty selects everything. Unknown parts are a usage error.</summary>
    public static BenchParts Parse(string? list, IReadOnlyCollection<string> known)
    {
        if (string.IsNullOrWhiteSpace(list)) return All;
        var selected = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string part = raw.Split('.', 2)[0];
            if (!known.Contains(part, StringComparer.OrdinalIgnoreCase))
                throw new UsageException($"bench --only: unknown part '{raw}' (known: {string.Join(", ", known)}; arnn.NAME for one architecture).");
            selected.Add(raw);
        }
        return new BenchParts(selected);
    }

    /// <summary>Whether <paramref name="part"/> runs (for the ARNN part: <paramref name="item"/>, the architecture).</summary>
    public bool Includes(string part, string? item = null) =>
        _selected is null || _selected.Contains(part) || (item is not null && _selected.Contains($"{part}.{item}"));
}
