using Boltzmann.Data.IO;
using Boltzmann.IO;
using System.Text;
using System.Text.Json;
using global::Parquet;
using global::Parquet.Schema;

namespace Boltzmann.Data.Figures;

/// <summary>Paths of the three files written for one figure.</summary>
/// <param name="Parquet">&lt;figure&gt;.parquet: tidy columns, panels and metadata in key/value metadata.</param>
/// <param name="Csv">&lt;figure&gt;.csv: the same tidy columns.</param>
/// <param name="Json">&lt;figure&gt;.json: title, metadata, panels and points.</param>
public sealed record FigureDataFiles(string Parquet, string Csv, string Json);

/// <summary>
/// Writes the data behind a figure so it can be re-plotted by any tool and compared across runs:
/// <c>&lt;figure&gt;.parquet</c> (tidy columns figure, panel, series, x, y, y_err; title, panels and
/// metadata as JSON in the key/value metadata), <c>&lt;figure&gt;.csv</c> (the same columns, invariant
/// culture, round-trip number format, LF line ends, RFC 4180 quoting) and <c>&lt;figure&gt;.json</c>
/// (title, metadata, panels, points; fixed key order). Each file is written atomically and the bytes
/// depend only on the table, so unchanged figures produce unchanged files.
/// </summary>
public static class FigureDataWriter
{
    /// <summary>Writes the three files into <paramref name="directory"/> (created if missing).</summary>
    /// <exception cref="ArgumentException">The figure name is not a file name, a panel is duplicated, or a point refers to another figure or an unknown panel.</exception>
    public static FigureDataFiles Write(FigureTable table, string directory)
        => Task.Run(() => WriteAsync(table, directory)).GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="Write"/>.</summary>
    public static async Task<FigureDataFiles> WriteAsync(FigureTable table, string directory, CancellationToken cancellationToken = default)
    {
        FigureFormat.Validate(table);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        string stem = Path.Combine(Path.GetFullPath(directory), table.Figure);
        var files = new FigureDataFiles(stem + ".parquet", stem + ".csv", stem + ".json");
        byte[] parquet = await ToParquetBytesAsync(table, cancellationToken).ConfigureAwait(false);
        AtomicFile.WriteAllBytes(files.Parquet, parquet);
        AtomicFile.WriteAllBytes(files.Csv, ToCsvBytes(table));
        AtomicFile.WriteAllBytes(files.Json, ToJsonBytes(table));
        return files;
    }

    /// <summary>The Parquet file's bytes (one row group, Zstd Optimal; none if there are no points).</summary>
    public static async Task<byte[]> ToParquetBytesAsync(FigureTable table, CancellationToken cancellationToken = default)
    {
        FigureFormat.Validate(table);
        var figure = new DataField<string>(FigureFormat.FigureColumn, nullable: false);
        var panel = new DataField<string>(FigureFormat.PanelColumn, nullable: false);
        var series = new DataField<string>(FigureFormat.SeriesColumn, nullable: false);
        var x = new DataField<double>(FigureFormat.XColumn, nullable: false);
        var y = new DataField<double>(FigureFormat.YColumn, nullable: false);
        var yErr = new DataField<double>(FigureFormat.YErrColumn, nullable: false);
        var schema = new ParquetSchema(figure, panel, series, x, y, yErr);

        using var stream = new MemoryStream();
        var writer = await ParquetWriter.CreateAsync(schema, stream, ParquetDefaults.Create(), append: false, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            writer.CustomMetadata = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [FigureFormat.FormatKey] = FigureFormat.FormatTag,
                [FigureFormat.NameKey] = table.Figure,
                [FigureFormat.TitleKey] = table.Title,
                [FigureFormat.PanelsKey] = FigureFormat.ToJson(w => FigureFormat.WritePanels(w, table.Panels)),
                [FigureFormat.MetadataKey] = FigureFormat.ToJson(w => FigureFormat.WriteMetadata(w, table.Metadata)),
            };
            int count = table.Points.Count;
            if (count > 0)
            {
                var points = table.Points;
                using var rowGroup = writer.CreateRowGroup();
                await rowGroup.WriteAsync(figure, points.Select(p => p.Figure).ToArray()).ConfigureAwait(false);
                await rowGroup.WriteAsync(panel, points.Select(p => p.Panel).ToArray()).ConfigureAwait(false);
                await rowGroup.WriteAsync(series, points.Select(p => p.Series).ToArray()).ConfigureAwait(false);
                await rowGroup.WriteAsync(x, new ReadOnlyMemory<double>(points.Select(p => p.X).ToArray()), cancellationToken: cancellationToken).ConfigureAwait(false);
                await rowGroup.WriteAsync(y, new ReadOnlyMemory<double>(points.Select(p => p.Y).ToArray()), cancellationToken: cancellationToken).ConfigureAwait(false);
                await rowGroup.WriteAsync(yErr, new ReadOnlyMemory<double>(points.Select(p => p.YErr).ToArray()), cancellationToken: cancellationToken).ConfigureAwait(false);
                rowGroup.CompleteValidate();
            }
        }
        return stream.ToArray();
    }

    /// <summary>The CSV file's bytes: header figure,panel,series,x,y,y_err, one line per point, UTF-8 without BOM.</summary>
    public static byte[] ToCsvBytes(FigureTable table)
    {
        FigureFormat.Validate(table);
        var sb = new StringBuilder();
        sb.Append(string.Join(',', FigureFormat.Columns)).Append('\n');
        foreach (var p in table.Points)
        {
            AppendCsvField(sb, p.Figure).Append(',');
            AppendCsvField(sb, p.Panel).Append(',');
            AppendCsvField(sb, p.Series).Append(',');
            sb.Append(FigureFormat.FormatDouble(p.X)).Append(',');
            sb.Append(FigureFormat.FormatDouble(p.Y)).Append(',');
            sb.Append(FigureFormat.FormatDouble(p.YErr)).Append('\n');
        }
        return FigureFormat.Utf8NoBom.GetBytes(sb.ToString());
    }

    /// <summary>The JSON file's bytes: format, figure, title, metadata (sorted keys), panels, points.</summary>
    public static byte[] ToJsonBytes(FigureTable table)
    {
        FigureFormat.Validate(table);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, FigureFormat.JsonOptions(indented: true)))
        {
            w.WriteStartObject();
            w.WriteString("format", FigureFormat.FormatTag);
            w.WriteString("figure", table.Figure);
            w.WriteString("title", table.Title);
            w.WritePropertyName("metadata");
            FigureFormat.WriteMetadata(w, table.Metadata);
            w.WritePropertyName("panels");
            FigureFormat.WritePanels(w, table.Panels);
            w.WriteStartArray("points");
            foreach (var p in table.Points)
            {
                w.WriteStartObject();
                w.WriteString(FigureFormat.FigureColumn, p.Figure);
                w.WriteString(FigureFormat.PanelColumn, p.Panel);
                w.WriteString(FigureFormat.SeriesColumn, p.Series);
                FigureFormat.WriteNumber(w, FigureFormat.XColumn, p.X);
                FigureFormat.WriteNumber(w, FigureFormat.YColumn, p.Y);
                FigureFormat.WriteNumber(w, FigureFormat.YErrColumn, p.YErr);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static StringBuilder AppendCsvField(StringBuilder sb, string value)
    {
        // RFC 4180: quote fields containing a separator, quote or line break, and any field with
        // leading/trailing blanks (some readers trim them); an empty string is quoted so it is not read as missing.
        bool quote = value.Length == 0 || value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]);
        if (!quote)
            return sb.Append(value);
        return sb.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
    }
}
