using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boltzmann.Testing;

/// <summary>
/// Numbers as the snapshot tests compare them: rounded to <see cref="SignificantDigits"/> significant digits. That
/// is the tolerance (relative ~1e-6), which absorbs last-bit differences of vectorised sums across CPUs while any
/// change in the physics or the random streams shows.
/// </summary>
public static class SnapshotRounding
{
    public const int SignificantDigits = 6;

    public static string Round(double v) =>
        double.IsFinite(v) ? v.ToString("G" + SignificantDigits, CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);

    /// <summary>A CSV line with every numeric cell rounded; other cells are kept as written.</summary>
    public static string RoundCsvLine(string line) =>
        string.Join(',', line.Split(',').Select(cell =>
            double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? Round(v) : cell));

    /// <summary>
    /// A JSON document, indented, with every number rounded and the properties in <paramref name="dropped"/> removed
    /// (e.g. content hashes, which compare bits rather than values).
    /// </summary>
    public static string RoundJson(string json, IReadOnlySet<string> dropped) =>
        Rounded(JsonNode.Parse(json), dropped)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";

    private static JsonNode? Rounded(JsonNode? node, IReadOnlySet<string> dropped) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => !dropped.Contains(p.Key))
                                        .Select(p => KeyValuePair.Create(p.Key, Rounded(p.Value, dropped)))),
        JsonArray a => new JsonArray([.. a.Select(e => Rounded(e, dropped))]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number =>
            JsonValue.Create(double.Parse(Round(v.GetValue<double>()), CultureInfo.InvariantCulture)),
        _ => node?.DeepClone(),
    };
}
