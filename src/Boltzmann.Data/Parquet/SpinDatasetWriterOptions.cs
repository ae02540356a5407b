namespace Boltzmann.Data.Parquet;

/// <summary>Tuning of <see cref="SpinDatasetWriter"/>.</summary>
public sealed record SpinDatasetWriterOptions
{
    private readonly int _maxRowGroupRows = 65_536;

    /// <summary>
    /// Largest row group in rows (default 65,536: ~2 MB of spins at N = 256, large enough for Zstd to
    /// reach the entropy floor and small enough that the reader streams in bounded memory). Larger
    /// batches are split.
    /// </summary>
    public int MaxRowGroupRows
    {
        get => _maxRowGroupRows;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(MaxRowGroupRows));
            _maxRowGroupRows = value;
        }
    }

    /// <summary>The defaults.</summary>
    public static SpinDatasetWriterOptions Default { get; } = new();
}
