using System.Globalization;
using System.Text.RegularExpressions;

namespace Boltzmann.Data.Parquet;

/// <summary>
/// Writes a spin dataset: a directory of part files <c>part-00000.parquet</c>, <c>part-00001.parquet</c>,
/// ... so that a long sampling stage can checkpoint after each completed part. Every part has the same
/// schema and key/value metadata (caller metadata plus the reserved <see cref="SpinDatasetMetadataKeys"/>),
/// one or more row groups, Zstd at the Optimal level, and is written to a temporary name and renamed
/// into place when complete. The same rows and metadata always give the same bytes.
/// </summary>
public sealed partial class SpinDatasetWriter
{
    /// <summary>Largest part index representable in the five-digit part name.</summary>
    public const int MaxPartIndex = 99_999;

    private readonly IReadOnlyDictionary<string, string> _metadata;

    /// <summary>Prepares writing parts of a dataset into <paramref name="directory"/> (created if missing).</summary>
    /// <param name="directory">Dataset directory.</param>
    /// <param name="schema">Columns and N.</param>
    /// <param name="metadata">Model parameters, couplings hash, sampler settings, seed, ... (keys must not start with "boltzmann.").</param>
    /// <param name="options">Row-group size; defaults if null.</param>
    public SpinDatasetWriter(string directory, SpinDatasetSchema schema, IReadOnlyDictionary<string, string> metadata, SpinDatasetWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(schema);
        Directory = System.IO.Path.GetFullPath(directory);
        Schema = schema;
        _metadata = ValidateMetadata(metadata);
        Options = options ?? SpinDatasetWriterOptions.Default;
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The dataset directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>Columns and N.</summary>
    public SpinDatasetSchema Schema { get; }

    /// <summary>The caller's metadata, as written into every part.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _metadata;

    /// <summary>Row-group size.</summary>
    public SpinDatasetWriterOptions Options { get; }

    /// <summary>File name of part <paramref name="partIndex"/>: part-00000.parquet style.</summary>
    public static string PartFileName(int partIndex)
    {
        if (partIndex < 0 || partIndex > MaxPartIndex)
            throw new ArgumentOutOfRangeException(nameof(partIndex), partIndex, $"Part indices run from 0 to {MaxPartIndex}.");
        return string.Create(CultureInfo.InvariantCulture, $"part-{partIndex:D5}.parquet");
    }

    /// <summary>Full path of part <paramref name="partIndex"/> in this dataset.</summary>
    public string PartPath(int partIndex) => System.IO.Path.Combine(Directory, PartFileName(partIndex));

    /// <summary>
    /// Indices of the complete parts present in <paramref name="directory"/>, ascending (empty if the
    /// directory does not exist). A resuming stage continues after the last contiguous one.
    /// </summary>
    public static IReadOnlyList<int> CompletedParts(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
            return [];
        var parts = new List<int>();
        foreach (string file in System.IO.Directory.EnumerateFiles(directory, "part-*.parquet"))
            if (TryParsePartFileName(System.IO.Path.GetFileName(file), out int index))
                parts.Add(index);
        parts.Sort();
        return parts;
    }

    /// <summary>True for names of the form part-DDDDD.parquet; gives the index.</summary>
    public static bool TryParsePartFileName(string fileName, out int partIndex)
    {
        partIndex = -1;
        var m = PartNamePattern().Match(fileName);
        if (!m.Success)
            return false;
        partIndex = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Starts part <paramref name="partIndex"/>; write row groups, then call <see cref="SpinDatasetPartWriter.CompleteAsync"/>.</summary>
    public Task<SpinDatasetPartWriter> BeginPartAsync(int partIndex, CancellationToken cancellationToken = default)
        => SpinDatasetPartWriter.CreateAsync(PartPath(partIndex), partIndex, Schema, _metadata, Options, cancellationToken);

    /// <summary>Writes a complete part from one batch (split into row groups of at most <see cref="SpinDatasetWriterOptions.MaxRowGroupRows"/>). Returns its path.</summary>
    public Task<string> WritePartAsync(int partIndex, SpinBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WritePartAsync(partIndex, [batch], cancellationToken);
    }

    /// <summary>Writes a complete part whose row groups are the given batches (large ones split). Returns its path.</summary>
    public async Task<string> WritePartAsync(int partIndex, IEnumerable<SpinBatch> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await using var part = await BeginPartAsync(partIndex, cancellationToken).ConfigureAwait(false);
        foreach (var batch in batches)
            await part.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        return await part.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a single self-contained spin file at <paramref name="path"/> (any name; same format as a
    /// part with index 0), atomically. <see cref="SpinDatasetReader.OpenAsync"/> opens it directly.
    /// </summary>
    public static async Task<string> WriteFileAsync(string path, SpinDatasetSchema schema, IReadOnlyDictionary<string, string> metadata,
        IEnumerable<SpinBatch> batches, SpinDatasetWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(batches);
        string full = System.IO.Path.GetFullPath(path);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        await using var part = await SpinDatasetPartWriter.CreateAsync(full, 0, schema, ValidateMetadata(metadata),
            options ?? SpinDatasetWriterOptions.Default, cancellationToken).ConfigureAwait(false);
        foreach (var batch in batches)
            await part.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        return await part.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SortedDictionary<string, string> ValidateMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var copy = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key))
                throw new ArgumentException("Metadata keys must be non-empty.", nameof(metadata));
            if (SpinDatasetMetadataKeys.IsReserved(key))
                throw new ArgumentException($"Metadata key '{key}' uses the reserved prefix '{SpinDatasetMetadataKeys.ReservedPrefix}'.", nameof(metadata));
            copy[key] = value ?? throw new ArgumentException($"Metadata value of '{key}' is null.", nameof(metadata));
        }
        return copy;
    }

    [GeneratedRegex(@"^part-(\d{5})\.parquet$", RegexOptions.CultureInvariant)]
    private static partial Regex PartNamePattern();
}
