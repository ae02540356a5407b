using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Boltzmann.Data.Figures;

/// <summary>
/// The on-disk conventions shared by <see cref="FigureDataWriter"/> and <see cref="FigureDataReader"/>:
/// column names, metadata keys, number formatting, and the JSON form of panels and metadata.
/// <para>
/// Numbers are written in the shortest form that parses back to the same double ("R", invariant
/// culture), so CSV and JSON round trips are exact; NaN and infinities are written as the strings
/// NaN, Infinity and -Infinity (JSON has no literal for them).
/// </para>
/// </summary>
internal static class FigureFormat
{
    public const string FormatTag = "boltzmann.figure/1";

    public const string FigureColumn = "figure";
    public const string PanelColumn = "panel";
    public const string SeriesColumn = "series";
    public const string XColumn = "x";
    public const string YColumn = "y";
    public const string YErrColumn = "y_err";

    public static readonly string[] Columns = [FigureColumn, PanelColumn, SeriesColumn, XColumn, YColumn, YErrColumn];

    public const string FormatKey = "boltzmann.figure.format";
    public const string NameKey = "boltzmann.figure.name";
    public const string TitleKey = "boltzmann.figure.title";
    public const string PanelsKey = "boltzmann.figure.panels";
    public const string MetadataKey = "boltzmann.figure.metadata";

    /// <summary>
    /// JSON writer options: UTF-8 text is kept readable (β stays β, quotes are \"), which is valid JSON;
    /// the "unsafe" in the encoder's name concerns embedding in HTML, which these files never are.
    /// </summary>
    public static JsonWriterOptions JsonOptions(bool indented) => new()
    {
        Indented = indented,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string FormatDouble(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static double ParseDouble(string text, string where)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            return value;
        throw new FormatException($"{where}: '{text}' is not a number.");
    }

    public static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        if (double.IsFinite(value))
            w.WriteRawValue(FormatDouble(value), skipInputValidation: true);
        else
            w.WriteStringValue(FormatDouble(value));
    }

    public static double ReadNumber(JsonElement e, string where) => e.ValueKind switch
    {
        JsonValueKind.Number => ParseDouble(e.GetRawText(), where),
        JsonValueKind.String => ParseDouble(e.GetString()!, where),
        _ => throw new FormatException($"{where}: expected a number, found {e.ValueKind}."),
    };

    public static void WritePanels(Utf8JsonWriter w, IReadOnlyList<FigurePanel> panels)
    {
        w.WriteStartArray();
        foreach (var p in panels)
        {
            w.WriteStartObject();
            w.WriteString("panel", p.Panel);
            w.WriteString("title", p.Title);
            w.WriteString("x_label", p.XLabel);
            w.WriteString("y_label", p.YLabel);
            w.WriteString("kind", p.Kind.ToString());
            w.WriteBoolean("log_x", p.LogX);
            w.WriteBoolean("log_y", p.LogY);
            if (p.LineSeries is { Count: > 0 } lines)
            {
                w.WriteStartArray("line_series");
                foreach (var name in lines) w.WriteStringValue(name);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static List<FigurePanel> ReadPanels(JsonElement array, string where)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{where}: panels must be a JSON array.");
        var panels = new List<FigurePanel>();
        foreach (var p in array.EnumerateArray())
        {
            string kindText = RequiredString(p, "kind", where);
            if (!Enum.TryParse<PlotKind>(kindText, ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
                throw new FormatException($"{where}: unknown plot kind '{kindText}'.");
            panels.Add(new FigurePanel(
                RequiredString(p, "panel", where),
                RequiredString(p, "title", where),
                RequiredString(p, "x_label", where),
                RequiredString(p, "y_label", where),
                kind,
                p.GetProperty("log_x").GetBoolean(),
                p.GetProperty("log_y").GetBoolean(),
                p.TryGetProperty("line_series", out var ls) && ls.ValueKind == JsonValueKind.Array
                    ? ls.EnumerateArray().Select(x => x.GetString() ?? throw new FormatException($"{where}: line_series holds a non-string.")).ToList()
                    : null));
        }
        return panels;
    }

    public static void WriteMetadata(Utf8JsonWriter w, IReadOnlyDictionary<string, string> metadata)
    {
        w.WriteStartObject();
        foreach (var (k, v) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            w.WriteString(k, v);
        w.WriteEndObject();
    }

    public static Dictionary<string, string> ReadMetadata(JsonElement obj, string where)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{where}: metadata must be a JSON object.");
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var p in obj.EnumerateObject())
            pairs.Add(new(p.Name, p.Value.GetString() ?? throw new FormatException($"{where}: metadata value of '{p.Name}' is not a string.")));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
            if (!metadata.TryAdd(k, v))
                throw new FormatException($"{where}: metadata key '{k}' appears twice.");
        return metadata;
    }

    public static string ToJson(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, JsonOptions(indented: false)))
            write(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string RequiredString(JsonElement e, string name, string where)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
            throw new FormatException($"{where}: missing string property '{name}'.");
        return v.GetString()!;
    }

    /// <summary>Checks everything the files need: a usable file name, unique panels, consistent points.</summary>
    public static void Validate(FigureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (string.IsNullOrWhiteSpace(table.Figure) || table.Figure is "." or ".."
            || table.Figure.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || table.Figure.Contains('/') || table.Figure.Contains('\\'))
            throw new ArgumentException($"Figure name '{table.Figure}' cannot be used as a file name.", nameof(table));
        ArgumentNullException.ThrowIfNull(table.Title, "table.Title");
        ArgumentNullException.ThrowIfNull(table.Panels, "table.Panels");
        ArgumentNullException.ThrowIfNull(table.Points, "table.Points");
        ArgumentNullException.ThrowIfNull(table.Metadata, "table.Metadata");
        var panelNames = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < table.Panels.Count; i++)
        {
            var p = table.Panels[i] ?? throw new ArgumentException($"Figure '{table.Figure}': panel {i} is null.", nameof(table));
            if (p.Panel is null || p.Title is null || p.XLabel is null || p.YLabel is null)
                throw new ArgumentException($"Figure '{table.Figure}': panel {i} has a null name, title or label.", nameof(table));
            if (!Enum.IsDefined(p.Kind))
                throw new ArgumentException($"Figure '{table.Figure}': panel '{p.Panel}' has an unknown plot kind {(int)p.Kind}.", nameof(table));
            if (!panelNames.Add(p.Panel))
                throw new ArgumentException($"Figure '{table.Figure}': panel '{p.Panel}' is defined twice.", nameof(table));
        }
        for (int i = 0; i < table.Points.Count; i++)
        {
            var pt = table.Points[i];
            if (pt.Figure != table.Figure)
                throw new ArgumentException($"Figure '{table.Figure}': point {i} belongs to figure '{pt.Figure}'.", nameof(table));
            if (pt.Panel is null || !panelNames.Contains(pt.Panel))
                throw new ArgumentException($"Figure '{table.Figure}': point {i} refers to panel '{pt.Panel}', which is not among the panels ({string.Join(", ", panelNames)}).", nameof(table));
            if (pt.Series is null)
                throw new ArgumentException($"Figure '{table.Figure}': point {i} has a null series name.", nameof(table));
        }
        foreach (var (k, v) in table.Metadata)
            if (k is null || v is null)
                throw new ArgumentException($"Figure '{table.Figure}': metadata contains a null key or value.", nameof(table));
    }
}
