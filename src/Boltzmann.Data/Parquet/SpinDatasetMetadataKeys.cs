namespace Boltzmann.Data.Parquet;

/// <summary>
/// Key/value metadata keys the dataset writer reserves in every part file. Caller metadata may not use
/// the <see cref="ReservedPrefix"/>; everything else (model parameters, couplings hash, sampler settings,
/// seed) is stored verbatim and returned by <see cref="SpinDatasetReader.Metadata"/>.
/// </summary>
public static class SpinDatasetMetadataKeys
{
    /// <summary>Prefix of every reserved key.</summary>
    public const string ReservedPrefix = "boltzmann.";

    /// <summary>The <see cref="SpinDatasetSchema"/> as JSON (columns, types, N, packing).</summary>
    public const string Schema = "boltzmann.schema";

    /// <summary>N, the number of spins per configuration (also inside the schema; here for SQL readers).</summary>
    public const string SpinCount = "boltzmann.spin_count";

    /// <summary>The packing convention in words.</summary>
    public const string Packing = "boltzmann.spin_packing";

    /// <summary>Index of the part within its dataset (guards against misnamed part files).</summary>
    public const string PartIndex = "boltzmann.part_index";

    /// <summary>Number of rows in the part (cross-checked against the row groups on reading).</summary>
    public const string RowCount = "boltzmann.row_count";

    /// <summary>SHA-256 digests of every column of every row group (JSON), verified on reading.</summary>
    public const string Checksums = "boltzmann.checksums";

    /// <summary>True when a key belongs to the writer, not the caller.</summary>
    public static bool IsReserved(string key) => key.StartsWith(ReservedPrefix, StringComparison.Ordinal);
}
