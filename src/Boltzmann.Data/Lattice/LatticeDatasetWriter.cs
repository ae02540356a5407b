using System.Globalization;
using Boltzmann.Data.IO;
using Boltzmann.IO;
using global::Parquet;

namespace Boltzmann.Data.Lattice;

/// <summary>
/// Writes a lattice configuration dataset as part files part-NNNNN.parquet in one directory, each written to a
/// temporary file and renamed when complete (a killed stage never leaves a half-written part under a part name).
/// Zstd at the Optimal level (ParquetDefaults), BYTE_STREAM_SPLIT for floats and doubles (groups exponent bytes:
/// the configurations compress to ~3.5-4 bytes per float32), DELTA_BINARY_PACKED for the integer columns.
/// Repetition levels of the list column are run-length encoded (one run per row), so the list costs almost nothing.
/// Same data gives identical bytes.
/// </summary>
public sealed class LatticeDatasetWriter
{
    private readonly IReadOnlyDictionary<string, string> _metadata;

    public LatticeDatasetWriter(string directory, LatticeDatasetSchema schema, IReadOnlyDictionary<string, string> metadata, int maxRowGroupRows = 4096)
    {
        ArgumentNullException.ThrowIfNull(schema);
        schema.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRowGroupRows, 1);
        Directory.CreateDirectory(directory);
        DirectoryPath = directory;
        Schema = schema;
        _metadata = metadata;
        MaxRowGroupRows = maxRowGroupRows;
    }

    public string DirectoryPath { get; }

    public LatticeDatasetSchema Schema { get; }

    public int MaxRowGroupRows { get; }

    public static string PartFileName(int part) => $"part-{part:D5}.parquet";

    public string PartPath(int part) => Path.Combine(DirectoryPath, PartFileName(part));

    /// <summary>Indices of the complete part files in <paramref name="directory"/>, ascending.</summary>
    public static IReadOnlyList<int> CompletedParts(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        return Directory.GetFiles(directory, "part-*.parquet")
            .Select(f => Path.GetFileNameWithoutExtension(f)["part-".Length..])
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : -1)
            .Where(i => i >= 0).Order().ToList();
    }

    /// <summary>Writes <paramref name="batch"/> as part <paramref name="part"/> (row groups of at most MaxRowGroupRows rows).</summary>
    public async Task<string> WritePartAsync(int part, LatticeBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!batch.Schema.Equals(Schema)) throw new ArgumentException("The batch's schema differs from the dataset's.", nameof(batch));
        if (batch.Count == 0) throw new ArgumentException("A part must hold at least one row.", nameof(batch));
        string path = PartPath(part);
        string temp = AtomicFile.TemporaryPathFor(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                var schema = Schema.ToParquetSchema();
                var options = ParquetDefaults.Create();
                options.ColumnEncodingHints[LatticeDatasetSchema.ChainColumn] = EncodingHint.DeltaBinaryPacked;
                options.ColumnEncodingHints[LatticeDatasetSchema.TrajectoryColumn] = EncodingHint.DeltaBinaryPacked;
                foreach (var s in Schema.Scalars) options.ColumnEncodingHints[s] = EncodingHint.ByteSplitStream;
                options.ColumnEncodingHints[Schema.FieldColumn] = EncodingHint.ByteSplitStream;
                await using (var writer = await ParquetWriter.CreateAsync(schema, stream, options, append: false, cancellationToken).ConfigureAwait(false))
                {
                    var kv = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    foreach (var (k, v) in _metadata) kv[k] = v;
                    kv[LatticeDatasetSchema.MetadataKey] = Schema.ToJson();
                    kv["boltzmann.lattice.part"] = part.ToString(CultureInfo.InvariantCulture);
                    kv["boltzmann.lattice.rows"] = batch.Count.ToString(CultureInfo.InvariantCulture);
                    writer.CustomMetadata = kv;
                    var fields = schema.DataFields;
                    int n = Schema.FieldLength;
                    var levels = new int[Math.Min(batch.Count, MaxRowGroupRows) * n];
                    // Every list element is present: definition level = max (1) throughout.
                    var defined = new int[levels.Length];
                    Array.Fill(defined, 1);
                    for (int start = 0; start < batch.Count; start += MaxRowGroupRows)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        int count = Math.Min(MaxRowGroupRows, batch.Count - start);
                        using var rg = writer.CreateRowGroup();
                        await rg.WriteAsync(fields[0], batch.Chains.Slice(start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                        await rg.WriteAsync(fields[1], batch.Trajectories.Slice(start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                        for (int k = 0; k < Schema.Scalars.Count; k++)
                            await rg.WriteAsync(fields[2 + k], batch.Scalar(k).Slice(start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                        // Repetition level 0 opens a new row's list, 1 continues it.
                        for (int r = 0; r < count; r++)
                        {
                            levels[r * n] = 0;
                            levels.AsSpan(r * n + 1, n - 1).Fill(1);
                        }
                        await rg.WriteAllPartsAsync(fields[^1], batch.Fields.Slice(start * n, count * n), new ReadOnlyMemory<int>(defined, 0, count * n),
                            new ReadOnlyMemory<int>(levels, 0, count * n), cancellationToken).ConfigureAwait(false);
                        rg.CompleteValidate();
                    }
                }
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            return path;
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }
}
