using Boltzmann.Data.IO;
using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using global::Parquet;
using global::Parquet.Schema;
using Microsoft.Data.Analysis;

namespace Boltzmann.Data.Parquet;

/// <summary>
/// Reads a spin dataset written by <see cref="SpinDatasetWriter"/>: a directory of part files (read in
/// part order) or a single file. Opening reads only the footers and checks that every part carries the
/// same schema and caller metadata, that the part indices are contiguous from 0, and that each file's
/// physical columns match its declared schema; any failure is a <see cref="SpinDatasetException"/>
/// naming the file. Data are then streamed row group by row group, optionally only some columns (for
/// example energy and beta, without touching the spins).
/// </summary>
public sealed class SpinDatasetReader
{
    private readonly SpinDatasetPartInfo[] _parts;
    private readonly SpinDatasetChecksums.RowGroup[][] _checksums;

    private SpinDatasetReader(string path, SpinDatasetSchema schema, IReadOnlyDictionary<string, string> metadata, SpinDatasetPartInfo[] parts,
        SpinDatasetChecksums.RowGroup[][] checksums)
    {
        _checksums = checksums;
        Path = path;
        Schema = schema;
        Metadata = metadata;
        _parts = parts;
        RowCount = parts.Sum(p => p.RowCount);
        RowGroupCount = parts.Sum(p => p.RowGroupRowCounts.Count);
    }

    /// <summary>The dataset directory or file that was opened (absolute).</summary>
    public string Path { get; }

    /// <summary>Columns and N.</summary>
    public SpinDatasetSchema Schema { get; }

    /// <summary>The caller metadata given to the writer (reserved "boltzmann." keys removed), keys in ordinal order.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The files in reading order.</summary>
    public IReadOnlyList<SpinDatasetPartInfo> Parts => _parts;

    /// <summary>Total rows over all parts.</summary>
    public long RowCount { get; }

    /// <summary>Total row groups over all parts (= number of batches <see cref="ReadBatchesAsync"/> yields).</summary>
    public int RowGroupCount { get; }

    /// <summary>Opens a dataset directory or a single dataset file and validates all footers.</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="SpinDatasetException">A part is unreadable, corrupt, missing, or disagrees with the others.</exception>
    public static async Task<SpinDatasetReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        string[] files;
        bool isDirectory = Directory.Exists(full);
        if (isDirectory)
        {
            var indices = SpinDatasetWriter.CompletedParts(full);
            if (indices.Count == 0)
                throw new SpinDatasetException(full, "the directory contains no part files (part-00000.parquet, ...).");
            for (int i = 0; i < indices.Count; i++)
                if (indices[i] != i)
                    throw new SpinDatasetException(System.IO.Path.Combine(full, SpinDatasetWriter.PartFileName(i)),
                        $"part {i} is missing (parts present: {string.Join(", ", indices)}); the dataset is incomplete.");
            files = indices.Select(i => System.IO.Path.Combine(full, SpinDatasetWriter.PartFileName(i))).ToArray();
        }
        else if (File.Exists(full))
        {
            files = [full];
        }
        else
        {
            throw new FileNotFoundException($"No spin dataset directory or file at '{full}'.", full);
        }

        SpinDatasetSchema? schema = null;
        Dictionary<string, string>? metadata = null;
        var parts = new SpinDatasetPartInfo[files.Length];
        var checksums = new SpinDatasetChecksums.RowGroup[files.Length][];
        for (int i = 0; i < files.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (partSchema, partMeta, info, partChecksums) = await ReadFooterAsync(files[i], cancellationToken).ConfigureAwait(false);
            if (isDirectory && info.PartIndex != i)
                throw new SpinDatasetException(files[i], $"its metadata says it is part {info.PartIndex}, but its name says part {i}.");
            if (schema is null)
            {
                schema = partSchema;
                metadata = partMeta;
            }
            else
            {
                if (!schema.Equals(partSchema))
                    throw new SpinDatasetException(files[i], $"its schema [{partSchema}] disagrees with the schema of '{files[0]}' [{schema}].");
                string? diff = DescribeMetadataDifference(metadata!, partMeta);
                if (diff is not null)
                    throw new SpinDatasetException(files[i], $"its metadata disagrees with '{files[0]}': {diff}.");
            }
            parts[i] = info;
            checksums[i] = partChecksums;
        }
        return new SpinDatasetReader(full, schema!, metadata!, parts, checksums);
    }

    /// <summary>Synchronous <see cref="OpenAsync"/>.</summary>
    public static SpinDatasetReader Open(string path) => Task.Run(() => OpenAsync(path)).GetAwaiter().GetResult();

    /// <summary>
    /// Streams the dataset as one <see cref="SpinBatch"/> per row group, parts in order.
    /// </summary>
    /// <param name="columns">Scalar columns to read, in the order wanted; null for all.</param>
    /// <param name="includeSpins">False to skip the spins column entirely (it is never decompressed).</param>
    /// <param name="reuseBatch">
    /// True to refill one batch for every row group (no allocation per row group; a yielded batch is
    /// valid only until the next one is requested). False gives each row group its own batch, owned by
    /// the caller (dispose it to return its buffers to the pool).
    /// </param>
    /// <param name="cancellationToken">Cancels between row groups.</param>
    public async IAsyncEnumerable<SpinBatch> ReadBatchesAsync(IReadOnlyList<string>? columns = null, bool includeSpins = true,
        bool reuseBatch = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batchSchema = columns is null ? Schema : Schema.Select(columns);
        SpinBatch? shared = null;
        try
        {
            for (int p = 0; p < _parts.Length; p++)
            {
                var part = _parts[p];
                ParquetReader reader = await OpenParquetAsync(part.Path, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var fields = ResolveFields(part.Path, reader.Schema, batchSchema, includeSpins);
                    for (int g = 0; g < reader.RowGroupCount; g++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        int rows = checked((int)reader.RowGroups[g].RowCount);
                        if (g >= _checksums[p].Length || _checksums[p][g].Rows != rows)
                            throw new SpinDatasetException(part.Path, $"row group {g} ({rows} rows) does not match the row groups recorded when the dataset was opened; was the file replaced?");
                        SpinBatch batch;
                        if (reuseBatch)
                        {
                            shared ??= new SpinBatch(batchSchema, rows, includeSpins);
                            batch = shared;
                        }
                        else
                        {
                            batch = new SpinBatch(batchSchema, rows, includeSpins);
                        }
                        try
                        {
                            await ReadRowGroupAsync(part.Path, reader, g, fields, _checksums[p][g], batch, cancellationToken).ConfigureAwait(false);
                        }
                        catch when (!reuseBatch)
                        {
                            batch.Dispose();
                            throw;
                        }
                        yield return batch;
                    }
                }
            }
        }
        finally
        {
            shared?.Dispose();
        }
    }

    /// <summary>Reads the whole dataset (or the chosen columns) into one batch.</summary>
    public async Task<SpinBatch> ReadAllAsync(IReadOnlyList<string>? columns = null, bool includeSpins = true, CancellationToken cancellationToken = default)
    {
        if (RowCount > int.MaxValue)
            throw new InvalidOperationException($"The dataset at '{Path}' has {RowCount} rows, too many for one batch; stream it with {nameof(ReadBatchesAsync)}.");
        var batchSchema = columns is null ? Schema : Schema.Select(columns);
        var all = new SpinBatch(batchSchema, (int)Math.Max(1, RowCount), includeSpins);
        try
        {
            await foreach (var batch in ReadBatchesAsync(columns, includeSpins, reuseBatch: true, cancellationToken).ConfigureAwait(false))
                all.AppendRows(batch, 0, batch.Count);
            return all;
        }
        catch
        {
            all.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The scalar columns (all if none are named) as a Microsoft.Data.Analysis DataFrame, for tabular
    /// evaluation such as <c>GroupBy("beta").Mean("energy")</c>. Spins are not read.
    /// </summary>
    public DataFrame ReadScalarsAsDataFrame(params string[] columns)
        => Task.Run(() => ReadScalarsAsDataFrameAsync(columns)).GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="ReadScalarsAsDataFrame"/>.</summary>
    public async Task<DataFrame> ReadScalarsAsDataFrameAsync(IReadOnlyList<string>? columns = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> names = columns is null || columns.Count == 0 ? Schema.Columns.Select(c => c.Name).ToArray() : columns;
        using var all = await ReadAllAsync(names, includeSpins: false, cancellationToken).ConfigureAwait(false);
        var frameColumns = new List<DataFrameColumn>(names.Count);
        for (int c = 0; c < all.Schema.Columns.Count; c++)
        {
            string name = all.Schema[c].Name;
            frameColumns.Add(all.Schema[c].Type switch
            {
                SpinColumnType.Int32 => new Int32DataFrameColumn(name, all.Int32Column(c).ToArray()),
                SpinColumnType.Int64 => new Int64DataFrameColumn(name, all.Int64Column(c).ToArray()),
                _ => new DoubleDataFrameColumn(name, all.DoubleColumn(c).ToArray()),
            });
        }
        return new DataFrame(frameColumns);
    }

    private static async Task<(SpinDatasetSchema Schema, Dictionary<string, string> Metadata, SpinDatasetPartInfo Info, SpinDatasetChecksums.RowGroup[] Checksums)> ReadFooterAsync(string file, CancellationToken cancellationToken)
    {
        ParquetReader reader = await OpenParquetAsync(file, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var kv = reader.CustomMetadata;
            if (!kv.TryGetValue(SpinDatasetMetadataKeys.Schema, out string? schemaJson))
                throw new SpinDatasetException(file, $"the file has no '{SpinDatasetMetadataKeys.Schema}' metadata; it is not a spin dataset part.");
            SpinDatasetSchema schema;
            try
            {
                schema = SpinDatasetSchema.FromJson(schemaJson);
            }
            catch (FormatException e)
            {
                throw new SpinDatasetException(file, e.Message, e);
            }
            ParquetSchema physical;
            try
            {
                physical = reader.Schema;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new SpinDatasetException(file, $"its Parquet schema cannot be decoded ({e.Message}).", e);
            }
            string? mismatch = schema.DescribeMismatch(physical);
            if (mismatch is not null)
                throw new SpinDatasetException(file, $"its columns disagree with its declared schema: {mismatch}.");

            var rowGroups = new long[reader.RowGroupCount];
            for (int g = 0; g < rowGroups.Length; g++)
                rowGroups[g] = reader.RowGroups[g].RowCount;
            long rows = rowGroups.Sum();
            if (kv.TryGetValue(SpinDatasetMetadataKeys.RowCount, out string? declaredRows)
                && (!long.TryParse(declaredRows, NumberStyles.None, CultureInfo.InvariantCulture, out long declared) || declared != rows))
                throw new SpinDatasetException(file, $"its metadata declares {declaredRows} rows but its row groups hold {rows}.");
            int partIndex = 0;
            if (kv.TryGetValue(SpinDatasetMetadataKeys.PartIndex, out string? partText)
                && !int.TryParse(partText, NumberStyles.None, CultureInfo.InvariantCulture, out partIndex))
                throw new SpinDatasetException(file, $"its part index '{partText}' is not a number.");

            if (!kv.TryGetValue(SpinDatasetMetadataKeys.Checksums, out string? checksumJson))
                throw new SpinDatasetException(file, $"the file has no '{SpinDatasetMetadataKeys.Checksums}' metadata, so its content cannot be verified.");
            SpinDatasetChecksums.RowGroup[] checksums;
            try
            {
                checksums = SpinDatasetChecksums.FromJson(checksumJson);
            }
            catch (FormatException e)
            {
                throw new SpinDatasetException(file, e.Message, e);
            }
            if (checksums.Length != rowGroups.Length)
                throw new SpinDatasetException(file, $"checksums are recorded for {checksums.Length} row groups but the file has {rowGroups.Length}.");
            for (int g = 0; g < rowGroups.Length; g++)
            {
                if (checksums[g].Rows != rowGroups[g])
                    throw new SpinDatasetException(file, $"row group {g} holds {rowGroups[g]} rows but its checksum record says {checksums[g].Rows}.");
                foreach (string name in schema.Columns.Select(c => c.Name).Append(SpinDatasetSchema.SpinsColumn))
                    if (!checksums[g].Columns.ContainsKey(name))
                        throw new SpinDatasetException(file, $"row group {g} has no checksum for column '{name}'.");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in kv.Where(p => !SpinDatasetMetadataKeys.IsReserved(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
                metadata[k] = v;
            return (schema, metadata, new SpinDatasetPartInfo(file, partIndex, rows, rowGroups), checksums);
        }
    }

    private static async Task<ParquetReader> OpenParquetAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(file, ParquetDefaults.Create(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not FileNotFoundException and not UnauthorizedAccessException)
        {
            throw new SpinDatasetException(file, $"the file is not a readable Parquet file (truncated or corrupt?): {e.Message}", e);
        }
    }

    private readonly record struct ResolvedFields(DataField[] Scalars, DataField? Spins);

    private ResolvedFields ResolveFields(string file, ParquetSchema physical, SpinDatasetSchema batchSchema, bool includeSpins)
    {
        // The footer was validated on opening, but the file may have been replaced since.
        string? mismatch = Schema.DescribeMismatch(physical);
        if (mismatch is not null)
            throw new SpinDatasetException(file, $"its columns changed since the dataset was opened: {mismatch}.");
        var byName = physical.DataFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var scalars = batchSchema.Columns.Select(c => byName[c.Name]).ToArray();
        return new ResolvedFields(scalars, includeSpins ? byName[SpinDatasetSchema.SpinsColumn] : null);
    }

    private static async Task ReadRowGroupAsync(string file, ParquetReader reader, int group, ResolvedFields fields,
        SpinDatasetChecksums.RowGroup checksums, SpinBatch batch, CancellationToken cancellationToken)
    {
        var rowGroup = reader.RowGroups[group];
        int rows = checked((int)rowGroup.RowCount);
        batch.SetCountUnchecked(rows);
        int c = 0;
        try
        {
            for (c = 0; c < fields.Scalars.Length; c++)
            {
                var field = fields.Scalars[c];
                switch (batch.TypeOf(c))
                {
                    case SpinColumnType.Int32:
                        await rowGroup.ReadAsync(field, new Memory<int>(batch.Column<int>(c, SpinColumnType.Int32), 0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                    case SpinColumnType.Int64:
                        await rowGroup.ReadAsync(field, new Memory<long>(batch.Column<long>(c, SpinColumnType.Int64), 0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await rowGroup.ReadAsync(field, new Memory<double>(batch.Column<double>(c, SpinColumnType.Double), 0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                }
                Verify(file, group, field.Name, SpinDatasetChecksums.HashColumn(batch, c, 0, rows), checksums);
            }
            if (fields.Spins is not null)
            {
                await ReadSpinsAsync(file, group, rowGroup, fields.Spins, batch, rows, cancellationToken).ConfigureAwait(false);
                Verify(file, group, SpinDatasetSchema.SpinsColumn, SpinDatasetChecksums.HashSpins(batch, 0, rows), checksums);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not SpinDatasetException)
        {
            string column = c < fields.Scalars.Length ? fields.Scalars[c].Name : SpinDatasetSchema.SpinsColumn;
            batch.Clear();
            throw new SpinDatasetException(file, $"row group {group}, column '{column}' cannot be decoded (corrupt part?): {e.Message}", e);
        }
    }

    private static async Task ReadSpinsAsync(string file, int group, ParquetRowGroupReader rowGroup, DataField field, SpinBatch batch, int rows, CancellationToken cancellationToken)
    {
        var values = ArrayPool<ReadOnlyMemory<byte>>.Shared.Rent(rows);
        try
        {
            await rowGroup.ReadRawAsync(field, new Memory<ReadOnlyMemory<byte>>(values, 0, rows), null, null, cancellationToken).ConfigureAwait(false);
            int b = batch.BytesPerConfiguration;
            int rest = batch.SpinCount & 7;
            var dst = batch.SpinsArray.AsSpan();
            for (int r = 0; r < rows; r++)
            {
                var span = values[r].Span;
                if (span.Length != b)
                    throw new SpinDatasetException(file, $"row group {group}, row {r}: the packed configuration has {span.Length} bytes, expected {b} for N = {batch.SpinCount}.");
                if (rest != 0 && (span[b - 1] >> rest) != 0)
                    throw new SpinDatasetException(file, $"row group {group}, row {r}: padding bits of the packed configuration are set (corrupt part?).");
                span.CopyTo(dst.Slice(r * b, b));
            }
        }
        finally
        {
            ArrayPool<ReadOnlyMemory<byte>>.Shared.Return(values, clearArray: true);
        }
    }

    private static void Verify(string file, int group, string column, string actual, SpinDatasetChecksums.RowGroup checksums)
    {
        string expected = checksums.Columns[column];
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
            throw new SpinDatasetException(file, $"row group {group}, column '{column}': the decoded values do not match their recorded SHA-256 digest (corrupt part).");
    }

    private static string? DescribeMetadataDifference(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual)
    {
        foreach (var (k, v) in expected)
        {
            if (!actual.TryGetValue(k, out string? a))
                return $"key '{k}' is missing";
            if (a != v)
                return $"key '{k}' is '{a}' instead of '{v}'";
        }
        foreach (var k in actual.Keys)
            if (!expected.ContainsKey(k))
                return $"it has an extra key '{k}'";
        return null;
    }
}
