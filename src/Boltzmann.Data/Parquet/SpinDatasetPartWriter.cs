using Boltzmann.Data.IO;
using Boltzmann.IO;
using System.Buffers;
using System.Globalization;
using global::Parquet;
using global::Parquet.Schema;

namespace Boltzmann.Data.Parquet;

/// <summary>
/// Writes one part file of a spin dataset, row group by row group, to a hidden temporary file and
/// renames it to its part name in <see cref="CompleteAsync"/>. Disposing without completing deletes
/// the temporary file, so an aborted or killed sampling stage never leaves a half-written part under a
/// part name (its resume simply rewrites that part).
/// Obtain one from <see cref="SpinDatasetWriter.BeginPartAsync"/>.
/// </summary>
public sealed class SpinDatasetPartWriter : IAsyncDisposable
{
    private readonly SpinDatasetSchema _schema;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly SpinDatasetWriterOptions _options;
    private readonly string _tempPath;
    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly DataField _spinsField;
    private readonly List<SpinDatasetChecksums.RowGroup> _checksums = new();
    private bool _completed;
    private bool _disposed;

    private SpinDatasetPartWriter(string path, string tempPath, int partIndex, SpinDatasetSchema schema,
        IReadOnlyDictionary<string, string> metadata, SpinDatasetWriterOptions options,
        FileStream stream, ParquetWriter writer, ParquetSchema parquetSchema)
    {
        Path = path;
        _tempPath = tempPath;
        PartIndex = partIndex;
        _schema = schema;
        _metadata = metadata;
        _options = options;
        _stream = stream;
        _writer = writer;
        var dataFields = parquetSchema.DataFields;
        _fields = dataFields[..^1];
        _spinsField = dataFields[^1];
    }

    internal static async Task<SpinDatasetPartWriter> CreateAsync(string path, int partIndex, SpinDatasetSchema schema,
        IReadOnlyDictionary<string, string> metadata, SpinDatasetWriterOptions options, CancellationToken cancellationToken)
    {
        string temp = AtomicFile.TemporaryPathFor(path);
        var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            var parquetSchema = schema.ToParquetSchema();
            var writer = await ParquetWriter.CreateAsync(parquetSchema, stream, CreateOptions(schema), append: false, cancellationToken).ConfigureAwait(false);
            return new SpinDatasetPartWriter(path, temp, partIndex, schema, metadata, options, stream, writer, parquetSchema);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Zstd Optimal plus per-column encodings that suit sampler output: DELTA_BINARY_PACKED for the
    /// integer columns (indices and sweep counters change by small steps: ~99% smaller than plain +
    /// Zstd for a sequential sweep column) and BYTE_STREAM_SPLIT for doubles (groups the exponent bytes,
    /// ~15% smaller energies and magnetisations), both standard Parquet encodings that DuckDB, Arrow
    /// and Parquet.Net read. Measured on PT-like columns, 100k rows: 1.00 MB plain vs 0.85 MB.
    /// </summary>
    internal static ParquetOptions CreateOptions(SpinDatasetSchema schema)
    {
        var options = ParquetDefaults.Create();
        foreach (var c in schema.Columns)
            options.ColumnEncodingHints[c.Name] = c.Type == SpinColumnType.Double ? EncodingHint.ByteSplitStream : EncodingHint.DeltaBinaryPacked;
        return options;
    }

    /// <summary>Final path of the part (exists only after <see cref="CompleteAsync"/>).</summary>
    public string Path { get; }

    /// <summary>Index of the part in its dataset.</summary>
    public int PartIndex { get; }

    /// <summary>Rows written so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Row groups written so far.</summary>
    public int RowGroupCount { get; private set; }

    /// <summary>
    /// Writes all rows of <paramref name="batch"/> as one row group, or several of at most
    /// <see cref="SpinDatasetWriterOptions.MaxRowGroupRows"/> rows.
    /// </summary>
    public Task WriteAsync(SpinBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync(batch, 0, batch.Count, cancellationToken);
    }

    /// <summary>Writes rows [<paramref name="start"/>, start + count) of <paramref name="batch"/> (split into row groups as needed).</summary>
    /// <exception cref="ArgumentException">The batch has another schema, no spins, or a configuration with padding bits set.</exception>
    public async Task WriteAsync(SpinBatch batch, int start, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
            throw new InvalidOperationException($"Part {PartIndex} ('{Path}') is already complete.");
        if (!batch.Schema.Equals(_schema))
            throw new ArgumentException($"The batch's schema [{batch.Schema}] differs from the dataset's [{_schema}].", nameof(batch));
        if (!batch.HasSpins)
            throw new ArgumentException("The batch has no spins column; a dataset part needs every row's configuration.", nameof(batch));
        if (start < 0 || count < 0 || start + count > batch.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows [{start}, {start + count}) are outside the batch's {batch.Count} rows.");
        CheckPadding(batch, start, count);
        int max = _options.MaxRowGroupRows;
        for (int offset = 0; offset < count; offset += max)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WriteRowGroupAsync(batch, start + offset, Math.Min(max, count - offset), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the footer (schema and metadata), flushes to disk, and renames the temporary file to
    /// <see cref="Path"/> (replacing a previous version of the same part). Returns <see cref="Path"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No rows were written.</exception>
    public async Task<string> CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
            return Path;
        if (RowCount == 0)
            throw new InvalidOperationException($"Part {PartIndex} ('{Path}') has no rows; a part must hold at least one row.");
        cancellationToken.ThrowIfCancellationRequested();
        var kv = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in _metadata)
            kv[k] = v;
        kv[SpinDatasetMetadataKeys.Schema] = _schema.ToJson();
        kv[SpinDatasetMetadataKeys.SpinCount] = _schema.SpinCount.ToString(CultureInfo.InvariantCulture);
        kv[SpinDatasetMetadataKeys.Packing] = SpinDatasetSchema.PackingDescription;
        kv[SpinDatasetMetadataKeys.PartIndex] = PartIndex.ToString(CultureInfo.InvariantCulture);
        kv[SpinDatasetMetadataKeys.RowCount] = RowCount.ToString(CultureInfo.InvariantCulture);
        kv[SpinDatasetMetadataKeys.Checksums] = SpinDatasetChecksums.ToJson(_schema, _checksums);
        try
        {
            // Sorted keys: the footer, and hence the file bytes, do not depend on the caller's dictionary order.
            _writer.CustomMetadata = kv;
            await _writer.DisposeAsync().ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            _stream.Flush(flushToDisk: true);
            await _stream.DisposeAsync().ConfigureAwait(false);
            _disposed = true;
            File.Move(_tempPath, Path, overwrite: true);
            _completed = true;
            return Path;
        }
        catch
        {
            _disposed = true;
            await _stream.DisposeAsync().ConfigureAwait(false);
            AtomicFile.TryDelete(_tempPath);
            throw;
        }
    }

    /// <summary>Closes the part; if it was not completed, deletes the temporary file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (!_completed)
            AtomicFile.TryDelete(_tempPath);
    }

    private async Task WriteRowGroupAsync(SpinBatch batch, int start, int count, CancellationToken cancellationToken)
    {
        using var rowGroup = _writer.CreateRowGroup();
        for (int c = 0; c < _fields.Length; c++)
        {
            switch (batch.TypeOf(c))
            {
                case SpinColumnType.Int32:
                    await rowGroup.WriteAsync(_fields[c], new ReadOnlyMemory<int>(batch.Column<int>(c, SpinColumnType.Int32), start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                case SpinColumnType.Int64:
                    await rowGroup.WriteAsync(_fields[c], new ReadOnlyMemory<long>(batch.Column<long>(c, SpinColumnType.Int64), start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await rowGroup.WriteAsync(_fields[c], new ReadOnlyMemory<double>(batch.Column<double>(c, SpinColumnType.Double), start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        // The binary column takes one ReadOnlyMemory<byte> per row; they are slices of the batch's
        // contiguous spin buffer, so no configuration is copied or allocated here.
        int b = batch.BytesPerConfiguration;
        byte[] spins = batch.SpinsArray;
        var slices = ArrayPool<ReadOnlyMemory<byte>>.Shared.Rent(count);
        try
        {
            for (int r = 0; r < count; r++)
                slices[r] = new ReadOnlyMemory<byte>(spins, (start + r) * b, b);
            await rowGroup.WriteAsync(_spinsField, new ReadOnlyMemory<ReadOnlyMemory<byte>>(slices, 0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<ReadOnlyMemory<byte>>.Shared.Return(slices, clearArray: true);
        }
        rowGroup.CompleteValidate();
        _checksums.Add(SpinDatasetChecksums.Compute(batch, start, count));
        RowCount += count;
        RowGroupCount++;
    }

    private static void CheckPadding(SpinBatch batch, int start, int count)
    {
        int rest = batch.SpinCount & 7;
        if (rest == 0)
            return;
        int b = batch.BytesPerConfiguration;
        byte[] spins = batch.SpinsArray;
        for (int r = start; r < start + count; r++)
            if ((spins[r * b + b - 1] >> rest) != 0)
                throw new ArgumentException($"Row {r}: padding bits above spin {batch.SpinCount - 1} are set (last byte 0x{spins[r * b + b - 1]:X2}); packed configurations must have zero padding.", nameof(batch));
    }
}
