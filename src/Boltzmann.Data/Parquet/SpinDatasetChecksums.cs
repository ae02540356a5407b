using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Boltzmann.Data.Parquet;

/// <summary>
/// Per row group and per column SHA-256 digests of the raw values (little-endian scalars, packed spin
/// bytes), stored in the part's key/value metadata under <see cref="SpinDatasetMetadataKeys.Checksums"/>.
/// <para>
/// Why: Parquet.Net writes no page CRCs, and random spins are nearly incompressible, so Zstd keeps
/// them in raw blocks where a flipped disk bit would decode silently into a wrong configuration. The
/// reader recomputes the digest of every column it reads and rejects a mismatch, so corruption is an
/// error naming the file, row group and column, never a wrong sample. Per-column digests keep this
/// working for column-subset reads. SHA-256 runs at GB/s with SHA extensions, a small cost next to
/// decompression.
/// </para>
/// </summary>
internal static class SpinDatasetChecksums
{
    public const string Algorithm = "sha256";

    /// <summary>Digests of one row group: its row count and one hex digest per column name.</summary>
    public sealed record RowGroup(long Rows, IReadOnlyDictionary<string, string> Columns);

    public static string Hash(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    public static string Hash<T>(ReadOnlySpan<T> values) where T : unmanaged => Hash(MemoryMarshal.AsBytes(values));

    /// <summary>Digests of rows [start, start+count) of every column of <paramref name="batch"/> (schema order, spins last).</summary>
    public static RowGroup Compute(SpinBatch batch, int start, int count)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int c = 0; c < batch.Schema.Columns.Count; c++)
            columns[batch.Schema[c].Name] = HashColumn(batch, c, start, count);
        if (batch.HasSpins)
            columns[SpinDatasetSchema.SpinsColumn] = HashSpins(batch, start, count);
        return new RowGroup(count, columns);
    }

    public static string HashColumn(SpinBatch batch, int column, int start, int count) => batch.TypeOf(column) switch
    {
        SpinColumnType.Int32 => Hash<int>(batch.Column<int>(column, SpinColumnType.Int32).AsSpan(start, count)),
        SpinColumnType.Int64 => Hash<long>(batch.Column<long>(column, SpinColumnType.Int64).AsSpan(start, count)),
        _ => Hash<double>(batch.Column<double>(column, SpinColumnType.Double).AsSpan(start, count)),
    };

    public static string HashSpins(SpinBatch batch, int start, int count)
        => Hash(batch.SpinsArray.AsSpan(start * batch.BytesPerConfiguration, count * batch.BytesPerConfiguration));

    public static string ToJson(SpinDatasetSchema schema, IReadOnlyList<RowGroup> groups)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("algorithm", Algorithm);
            w.WriteStartArray("row_groups");
            foreach (var g in groups)
            {
                w.WriteStartObject();
                w.WriteNumber("rows", g.Rows);
                w.WriteStartObject("columns");
                foreach (var c in schema.Columns)
                    w.WriteString(c.Name, g.Columns[c.Name]);
                w.WriteString(SpinDatasetSchema.SpinsColumn, g.Columns[SpinDatasetSchema.SpinsColumn]);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <exception cref="FormatException">Malformed JSON or unknown algorithm.</exception>
    public static RowGroup[] FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            string algorithm = doc.RootElement.GetProperty("algorithm").GetString() ?? "";
            if (algorithm != Algorithm)
                throw new FormatException($"unknown checksum algorithm '{algorithm}'");
            var groups = new List<RowGroup>();
            foreach (var g in doc.RootElement.GetProperty("row_groups").EnumerateArray())
            {
                var columns = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var p in g.GetProperty("columns").EnumerateObject())
                    columns[p.Name] = p.Value.GetString() ?? throw new FormatException($"digest of '{p.Name}' is not a string");
                groups.Add(new RowGroup(g.GetProperty("rows").GetInt64(), columns));
            }
            return groups.ToArray();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"invalid checksum metadata: {e.Message}", e);
        }
    }
}
