using static TorchSharp.torch;

namespace Boltzmann.Flows.Training;

/// <summary>
/// A fixed training set of continuous configurations x [M, N] on the model's device and dtype, served in shuffled
/// minibatches (<see cref="ShuffledMinibatches"/>) for forward-KL training (Hartnett &amp; Mohseni 2020, eq. 19, the
/// dataset D of section 4). The minibatch of a step depends only on (seed, step), so resumed runs are identical.
/// Owns its tensor.
/// </summary>
public sealed class ForwardKlDataset : IDisposable
{
    private readonly Tensor _data;
    private readonly ShuffledMinibatches _batches;
    private readonly long[] _indices;

    /// <param name="rows">Row-major M × N values (float64, e.g. from <c>SkContinuousRelaxation.SampleXGivenS</c>).</param>
    /// <param name="dimension">N.</param>
    /// <param name="batch">Minibatch size B ≤ M.</param>
    /// <param name="seed">Seed of the epoch permutations.</param>
    public ForwardKlDataset(ReadOnlySpan<double> rows, int dimension, int batch, ulong seed, ScalarType dtype, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (rows.Length % dimension != 0)
            throw new ArgumentException($"ForwardKlDataset: {rows.Length} values is not a multiple of N = {dimension}.", nameof(rows));
        int count = rows.Length / dimension;
        _batches = new ShuffledMinibatches(count, batch, seed);
        _indices = new long[batch];
        Dimension = dimension;
        using var host = tensor(rows.ToArray(), [count, dimension], ScalarType.Float64);
        _data = host.to(dtype, device ?? CPU);
    }

    public int Count => _batches.Count;

    public int Dimension { get; }

    public int Batch => _batches.Batch;

    /// <summary>All rows [M, N] (owned by the dataset).</summary>
    public Tensor Data => _data;

    /// <summary>The minibatch [B, N] of 0-based step <paramref name="step"/> (a new tensor in the caller's dispose scope).</summary>
    public Tensor Minibatch(long step)
    {
        _batches.Indices(step, _indices);
        using var scope = NewDisposeScope();
        var index = tensor(_indices, [_indices.Length], ScalarType.Int64).to(_data.device);
        return _data.index_select(0, index).MoveToOuterDisposeScope();
    }

    public void Dispose() => _data.Dispose();
}
