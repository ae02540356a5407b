using System.Text.Json.Nodes;

namespace Boltzmann.Faults.Tests;

/// <summary>
/// Compares two runs' output trees byte for byte except for what records wall-clock time, which differs between any
/// two runs of the same stage (two local runs included): table columns and JSON fields named *wall* (training
/// wall seconds, loss logs' wall_seconds) and the x values of the figures plotted against wall time. A Parquet or
/// PNG twin of such a table is accepted when its CSV twin matches under that rule; everything else must be identical.
/// </summary>
public static class WallClockInsensitive
{
    /// <summary>Figures whose x axis is wall time (held-out NLL against training wall time).</summary>
    private static readonly HashSet<string> WallTimeFigures = ["sk-flow-online-vs-fixed"];

    /// <summary>Relative paths that differ beyond wall-clock fields (missing on one side included).</summary>
    public static IReadOnlyList<string> Differences(string expectedRoot, SortedDictionary<string, string> expected,
                                                    string actualRoot, SortedDictionary<string, string> actual)
    {
        var diffs = new List<string>();
        foreach (var rel in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            if (!expected.TryGetValue(rel, out var e) || !actual.TryGetValue(rel, out var a)) { diffs.Add($"{rel} (only in one run)"); continue; }
            if (e == a) continue;
            var twin = Path.ChangeExtension(rel, ".csv");
            bool same = Path.GetExtension(rel) switch
            {
                ".csv" => Normalised(Path.Combine(expectedRoot, rel)) == Normalised(Path.Combine(actualRoot, rel)),
                ".json" => NormalisedJson(Path.Combine(expectedRoot, rel)) == NormalisedJson(Path.Combine(actualRoot, rel)),
                ".parquet" or ".png" => expected.ContainsKey(twin) && actual.ContainsKey(twin) && expected[twin] != actual[twin]
                                        && Normalised(Path.Combine(expectedRoot, twin)) == Normalised(Path.Combine(actualRoot, twin)),
                _ => false,
            };
            if (!same) diffs.Add(rel);
        }
        return diffs;
    }

    private static string Normalised(string csv)
    {
        var lines = File.ReadAllLines(csv);
        if (lines.Length == 0) return "";
        var header = lines[0].Split(',');
        bool tidyFigure = header is ["figure", "panel", "series", "x", ..];
        var drop = header.Select((h, i) => (h, i)).Where(c => c.h.Contains("wall", StringComparison.Ordinal)).Select(c => c.i).ToHashSet();
        return string.Join('\n', lines.Select(line =>
        {
            var fields = SplitCsv(line);
            bool wallX = tidyFigure && fields.Count > 3 && WallTimeFigures.Contains(fields[0]);
            return string.Join(',', fields.Where((_, i) => !drop.Contains(i) && !(wallX && i == 3)));
        }));
    }

    private static string NormalisedJson(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path));
        bool wallFigure = node is JsonObject o && o["figure"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && WallTimeFigures.Contains((string)o["figure"]!);
        Strip(node, wallFigure);
        return node?.ToJsonString() ?? "";
    }

    private static void Strip(JsonNode? node, bool wallFigure)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(kv => kv.Key).Where(k => k.Contains("wall", StringComparison.Ordinal) || (wallFigure && k == "x")).ToList()) o.Remove(key);
                foreach (var (_, v) in o) Strip(v, wallFigure);
                break;
            case JsonArray a:
                foreach (var v in a) Strip(v, wallFigure);
                break;
        }
    }

    /// <summary>Splits one CSV line, keeping quoted fields (which may hold commas) whole.</summary>
    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
