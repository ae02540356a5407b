using Boltzmann.Spins;

namespace Boltzmann.Data.Parquet;

/// <summary>
/// Setter for one freshly appended row of a <see cref="SpinBatch"/> (returned by
/// <see cref="SpinBatch.AddRow"/>). Column positions come from <see cref="SpinDatasetSchema.GetIndex"/>,
/// resolved once outside the sampling loop, so filling a row costs a few array stores and no allocation.
/// The setters check the column type, so an int written to a double column is a clear error rather
/// than a silent conversion.
/// </summary>
public readonly ref struct SpinRow
{
    private readonly SpinBatch _batch;

    internal SpinRow(SpinBatch batch, int index)
    {
        _batch = batch;
        Index = index;
    }

    /// <summary>Index of this row within its batch.</summary>
    public int Index { get; }

    /// <summary>Sets an int32 column.</summary>
    public SpinRow SetInt32(int column, int value)
    {
        _batch.Column<int>(column, SpinColumnType.Int32)[Index] = value;
        return this;
    }

    /// <summary>Sets an int64 column.</summary>
    public SpinRow SetInt64(int column, long value)
    {
        _batch.Column<long>(column, SpinColumnType.Int64)[Index] = value;
        return this;
    }

    /// <summary>Sets a double column.</summary>
    public SpinRow SetDouble(int column, double value)
    {
        _batch.Column<double>(column, SpinColumnType.Double)[Index] = value;
        return this;
    }

    /// <summary>Packs and stores the configuration (N values, each ±1).</summary>
    public SpinRow SetSpins(ReadOnlySpan<sbyte> spins)
    {
        CheckN(spins.Length);
        SpinPacking.Pack(spins, _batch.GetPackedSpins(Index));
        return this;
    }

    /// <summary>Packs and stores the configuration given as floats ±1.</summary>
    public SpinRow SetSpins(ReadOnlySpan<float> spins)
    {
        CheckN(spins.Length);
        SpinPacking.Pack(spins, _batch.GetPackedSpins(Index));
        return this;
    }

    /// <summary>Stores an already packed configuration (ceil(N/8) bytes, padding bits zero).</summary>
    /// <exception cref="ArgumentException">Wrong length, or padding bits set (they would break determinism and overlaps).</exception>
    public SpinRow SetPackedSpins(ReadOnlySpan<byte> packed)
    {
        int b = _batch.BytesPerConfiguration;
        if (packed.Length != b)
            throw new ArgumentException($"A packed configuration of N = {_batch.SpinCount} spins has {b} bytes, got {packed.Length}.", nameof(packed));
        int rest = _batch.SpinCount & 7;
        if (rest != 0 && (packed[b - 1] >> rest) != 0)
            throw new ArgumentException($"Padding bits above spin {_batch.SpinCount - 1} are set in the last byte (0x{packed[b - 1]:X2}); they must be zero.", nameof(packed));
        packed.CopyTo(_batch.GetPackedSpins(Index));
        return this;
    }

    /// <summary>The packed configuration of this row, writable in place (e.g. by a sampler that packs itself).</summary>
    public Span<byte> PackedSpins => _batch.GetPackedSpins(Index);

    private void CheckN(int length)
    {
        if (length != _batch.SpinCount)
            throw new ArgumentException($"The configuration has {length} spins but the dataset has N = {_batch.SpinCount}.", "spins");
    }
}
