using System.IO.Compression;
using global::Parquet;

namespace Boltzmann.Data.IO;

/// <summary>
/// Parquet.Net options used by every writer in this project. Parquet.Net 6.1.0 defaults to
/// CompressionLevel.SmallestSize, which with Zstd made writes ~240x slower (platform notes), so
/// method and level are always set explicitly.
/// </summary>
public static class ParquetDefaults
{
    /// <summary>Fresh options: Zstd at the Optimal level.</summary>
    public static ParquetOptions Create() => new()
    {
        CompressionMethod = CompressionMethod.Zstd,
        CompressionLevel = CompressionLevel.Optimal,
    };
}
