using System.Collections.Concurrent;

namespace Boltzmann.Data.Parquet;

/// <summary>
/// A bounded pool of empty <see cref="SpinBatch"/>es of one schema, so a sampling pipeline
/// (producer -> writer) recycles batches instead of allocating one per row group. Thread-safe.
/// </summary>
public sealed class SpinBatchPool : IDisposable
{
    private readonly ConcurrentBag<SpinBatch> _free = new();
    private readonly int _maxRetained;
    private int _retained;

    /// <summary>Creates a pool for <paramref name="schema"/> whose new batches hold <paramref name="capacity"/> rows.</summary>
    public SpinBatchPool(SpinDatasetSchema schema, int capacity, bool includeSpins = true, int maxRetained = 16)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRetained);
        Schema = schema;
        BatchCapacity = capacity;
        IncludeSpins = includeSpins;
        _maxRetained = maxRetained;
    }

    /// <summary>Schema of every batch of the pool.</summary>
    public SpinDatasetSchema Schema { get; }

    /// <summary>Initial capacity of new batches.</summary>
    public int BatchCapacity { get; }

    /// <summary>Whether batches carry spins.</summary>
    public bool IncludeSpins { get; }

    /// <summary>An empty batch: a recycled one if available, else a new one.</summary>
    public SpinBatch Rent()
    {
        if (_free.TryTake(out var batch))
        {
            Interlocked.Decrement(ref _retained);
            return batch;
        }
        return new SpinBatch(Schema, BatchCapacity, IncludeSpins);
    }

    /// <summary>Gives a batch back; it is cleared, kept if the pool has room, else disposed.</summary>
    /// <exception cref="ArgumentException">The batch belongs to another schema.</exception>
    public void Return(SpinBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!batch.Schema.Equals(Schema) || batch.HasSpins != IncludeSpins)
            throw new ArgumentException($"The batch's schema [{batch.Schema}] is not the pool's [{Schema}].", nameof(batch));
        batch.Clear();
        if (Interlocked.Increment(ref _retained) <= _maxRetained)
        {
            _free.Add(batch);
            return;
        }
        Interlocked.Decrement(ref _retained);
        batch.Dispose();
    }

    /// <summary>Disposes the retained batches.</summary>
    public void Dispose()
    {
        while (_free.TryTake(out var batch))
        {
            Interlocked.Decrement(ref _retained);
            batch.Dispose();
        }
    }
}
