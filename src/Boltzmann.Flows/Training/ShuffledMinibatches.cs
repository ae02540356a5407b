using Boltzmann.Random;

namespace Boltzmann.Flows.Training;

/// <summary>
/// Minibatch indices for epoch-based training on a fixed dataset (forward KL, Hartnett &amp; Mohseni 2020 eq. 19 and
/// appendix A.1: batches of 50, each epoch one pass over the data in a fresh random order). Epoch e uses the
/// permutation drawn from its own stream (seed, "minibatches", e), so the indices of step t are a pure function of
/// (seed, t): a resumed run needs no shuffling state and consumes exactly the batches of an uninterrupted one.
/// Each epoch has ⌊M / B⌋ batches; the M mod B rows left over by one permutation are simply in the next epoch's
/// draw, so no row is systematically skipped.
/// </summary>
public sealed class ShuffledMinibatches
{
    private readonly int[] _permutation;
    private long _epoch = -1;

    public ShuffledMinibatches(int count, int batch, ulong seed)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "ShuffledMinibatches: batch must be >= 1.");
        if (count < batch)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"ShuffledMinibatches: the dataset has {count} rows, fewer than one batch of {batch}.");
        Count = count;
        Batch = batch;
        Seed = seed;
        _permutation = new int[count];
    }

    /// <summary>Rows in the dataset (M).</summary>
    public int Count { get; }

    /// <summary>Rows per batch (B).</summary>
    public int Batch { get; }

    public ulong Seed { get; }

    /// <summary>⌊M / B⌋.</summary>
    public long BatchesPerEpoch => Count / Batch;

    /// <summary>Writes the row indices of 0-based step <paramref name="step"/> into <paramref name="destination"/> (B values).</summary>
    public void Indices(long step, Span<long> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (destination.Length != Batch)
            throw new ArgumentException($"ShuffledMinibatches.Indices: destination holds {destination.Length} values, the batch is {Batch}.", nameof(destination));
        long epoch = step / BatchesPerEpoch;
        int offset = (int)(step % BatchesPerEpoch) * Batch;
        if (epoch != _epoch) Shuffle(epoch);
        for (int k = 0; k < Batch; k++) destination[k] = _permutation[offset + k];
    }

    private void Shuffle(long epoch)
    {
        var rng = RandomStreams.For(Seed, "minibatches", epoch);
        for (int i = 0; i < _permutation.Length; i++) _permutation[i] = i;
        for (int i = _permutation.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
        }
        _epoch = epoch;
    }
}
