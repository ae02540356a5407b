using Boltzmann.Data.IO;
using System.Text;
using System.Text.Json;
using global::Parquet;
using global::Parquet.Schema;

namespace Boltzmann.Data.Figures;

/// <summary>
/// Reads figure data written by <see cref="FigureDataWriter"/> back into a <see cref="FigureTable"/>,
/// exactly (every double bit for bit, strings, panel order, metadata). From <c>.parquet</c> and
/// <c>.json</c> everything comes from the one file; a <c>.csv</c> holds only the tidy points, so
/// title, panels and metadata are taken from the <c>.json</c> beside it.
/// </summary>
public static class FigureDataReader
{
    /// <summary>Reads a figure from its .parquet, .csv (with the sibling .json) or .json file.</summary>
    /// <exception cref="FileNotFoundException">The file (or the .json a .csv needs) does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not figure data of this format; the message names the file and the problem.</exception>
    public static FigureTable Read(string parquetOrCsvPath)
        => Task.Run(() => ReadAsync(parquetOrCsvPath)).GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="Read"/>.</summary>
    public static async Task<FigureTable> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"No figure data file at '{full}'.", full);
        string ext = Path.GetExtension(full).ToLowerInvariant();
        try
        {
            return ext switch
            {
                ".parquet" => await ReadParquetAsync(full, cancellationToken).ConfigureAwait(false),
                ".csv" => ReadCsv(full),
                ".json" => ReadJson(full, withPoints: true),
                _ => throw new ArgumentException($"'{full}' is not a .parquet, .csv or .json figure file.", nameof(path)),
            };
        }
        catch (Exception e) when (e is FormatException or JsonException or ParquetException or IOException and not FileNotFoundException
                                   or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{full}: not readable as figure data: {e.Message}", e);
        }
    }

    private static async Task<FigureTable> ReadParquetAsync(string file, CancellationToken cancellationToken)
    {
        await using var reader = await ParquetReader.CreateAsync(file, ParquetDefaults.Create(), cancellationToken).ConfigureAwait(false);
        var kv = reader.CustomMetadata;
        string format = kv.GetValueOrDefault(FigureFormat.FormatKey) ?? "";
        if (format != FigureFormat.FormatTag)
            throw new FormatException($"format key '{FigureFormat.FormatKey}' is '{format}', expected '{FigureFormat.FormatTag}'");
        string figure = Required(kv, FigureFormat.NameKey);
        string title = Required(kv, FigureFormat.TitleKey);
        List<FigurePanel> panels;
        using (var doc = JsonDocument.Parse(Required(kv, FigureFormat.PanelsKey)))
            panels = FigureFormat.ReadPanels(doc.RootElement, "panels metadata");
        Dictionary<string, string> metadata;
        using (var doc = JsonDocument.Parse(Required(kv, FigureFormat.MetadataKey)))
            metadata = FigureFormat.ReadMetadata(doc.RootElement, "metadata");

        var schema = reader.Schema;
        var fields = new DataField[FigureFormat.Columns.Length];
        for (int c = 0; c < fields.Length; c++)
        {
            fields[c] = schema.DataFields.FirstOrDefault(f => f.Name == FigureFormat.Columns[c])
                ?? throw new FormatException($"column '{FigureFormat.Columns[c]}' is missing");
            var expected = c < 3 ? typeof(string) : typeof(double);
            // Parquet.Net reports string columns as ReadOnlyMemory<char> when reading.
            if (fields[c].ClrType != expected && !(c < 3 && fields[c].ClrType == typeof(ReadOnlyMemory<char>)))
                throw new FormatException($"column '{fields[c].Name}' has type {fields[c].ClrType.Name}, expected {expected.Name}");
        }

        var points = new List<FigurePoint>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            var rg = reader.RowGroups[g];
            int rows = checked((int)rg.RowCount);
            var text = new string?[3][];
            for (int c = 0; c < 3; c++)
            {
                text[c] = new string?[rows];
                await rg.ReadAsync(fields[c], text[c].AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            var numbers = new double[3][];
            for (int c = 0; c < 3; c++)
            {
                numbers[c] = new double[rows];
                await rg.ReadAsync(fields[3 + c], numbers[c].AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            for (int r = 0; r < rows; r++)
                points.Add(new FigurePoint(text[0][r] ?? "", text[1][r] ?? "", text[2][r] ?? "", numbers[0][r], numbers[1][r], numbers[2][r]));
        }
        return Checked(new FigureTable(figure, title, panels, points, metadata));
    }

    private static FigureTable ReadCsv(string file)
    {
        string json = Path.ChangeExtension(file, ".json");
        if (!File.Exists(json))
            throw new FileNotFoundException($"'{file}' holds only the points; its title, panels and metadata are in '{json}', which does not exist.", json);
        var header = ReadJson(json, withPoints: false);
        var rows = ParseCsv(File.ReadAllText(file, FigureFormat.Utf8NoBom));
        if (rows.Count == 0 || !rows[0].SequenceEqual(FigureFormat.Columns))
            throw new FormatException($"the header must be '{string.Join(',', FigureFormat.Columns)}'");
        var points = new List<FigurePoint>(rows.Count - 1);
        for (int i = 1; i < rows.Count; i++)
        {
            var r = rows[i];
            if (r.Count != FigureFormat.Columns.Length)
                throw new FormatException($"line {i + 1} has {r.Count} fields, expected {FigureFormat.Columns.Length}");
            string where = $"line {i + 1}";
            points.Add(new FigurePoint(r[0], r[1], r[2],
                FigureFormat.ParseDouble(r[3], where), FigureFormat.ParseDouble(r[4], where), FigureFormat.ParseDouble(r[5], where)));
        }
        return Checked(header with { Points = points });
    }

    private static FigureTable ReadJson(string file, bool withPoints)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = doc.RootElement;
        string format = FigureFormat.RequiredString(root, "format", file);
        if (format != FigureFormat.FormatTag)
            throw new FormatException($"format is '{format}', expected '{FigureFormat.FormatTag}'");
        string figure = FigureFormat.RequiredString(root, "figure", file);
        string title = FigureFormat.RequiredString(root, "title", file);
        var metadata = FigureFormat.ReadMetadata(root.GetProperty("metadata"), "metadata");
        var panels = FigureFormat.ReadPanels(root.GetProperty("panels"), "panels");
        var points = new List<FigurePoint>();
        if (withPoints)
        {
            int i = 0;
            foreach (var p in root.GetProperty("points").EnumerateArray())
            {
                string where = $"point {i++}";
                points.Add(new FigurePoint(
                    FigureFormat.RequiredString(p, FigureFormat.FigureColumn, where),
                    FigureFormat.RequiredString(p, FigureFormat.PanelColumn, where),
                    FigureFormat.RequiredString(p, FigureFormat.SeriesColumn, where),
                    FigureFormat.ReadNumber(p.GetProperty(FigureFormat.XColumn), where),
                    FigureFormat.ReadNumber(p.GetProperty(FigureFormat.YColumn), where),
                    FigureFormat.ReadNumber(p.GetProperty(FigureFormat.YErrColumn), where)));
            }
            return Checked(new FigureTable(figure, title, panels, points, metadata));
        }
        return new FigureTable(figure, title, panels, points, metadata);
    }

    /// <summary>RFC 4180 parser: quoted fields may contain separators, doubled quotes and line breaks.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        bool fieldStarted = false;
        while (i < text.Length)
        {
            char ch = text[i];
            if (ch == '"' && field.Length == 0 && !fieldStarted)
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw new FormatException($"unterminated quoted field in line {rows.Count + 1}");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                fieldStarted = true;
                if (i < text.Length && text[i] is not (',' or '\n' or '\r'))
                    throw new FormatException($"unexpected character after a quoted field in line {rows.Count + 1}");
                continue;
            }
            if (ch == ',')
            {
                row.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
                i++;
            }
            else if (ch is '\n' or '\r')
            {
                row.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
                rows.Add(row);
                row = new List<string>();
                i += ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            }
            else
            {
                field.Append(ch);
                fieldStarted = true;
                i++;
            }
        }
        if (fieldStarted || field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }
        return rows;
    }

    private static FigureTable Checked(FigureTable table)
    {
        try
        {
            FigureFormat.Validate(table);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
        return table;
    }

    private static string Required(IReadOnlyDictionary<string, string> kv, string key)
        => kv.TryGetValue(key, out string? v) ? v : throw new FormatException($"key/value metadata '{key}' is missing");
}
