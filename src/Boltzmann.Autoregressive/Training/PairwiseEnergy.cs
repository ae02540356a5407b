using Boltzmann.Physics.Sk;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// The energy H(x) = -sum_{i&lt;j} J_ij x_i x_j - sum_i h_i x_i (the SK convention, README; Biazzo eq. 3) of a batch of
/// spin configurations [batch, N] -> [batch], as -x J x^T / 2 - h x with the symmetric zero-diagonal J of the
/// <see cref="SkInstance"/> (for the Curie-Weiss model built by <c>CurieWeissPairwise</c>, J_ij = J/N, which is
/// H = -h M - (J/N) sum_{i&lt;j} x_i x_j of <c>CurieWeissExact</c>). float64 on the given device.
/// </summary>
public sealed class PairwiseEnergy : IDisposable
{
    private readonly Tensor _couplings, _fields;

    public PairwiseEnergy(SkInstance instance, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        N = instance.N;
        var d = device ?? CPU;
        _couplings = tensor(instance.Couplings.ToArray(), [N, N], dtype: ScalarType.Float64, device: d);
        _fields = tensor(instance.Fields.ToArray(), [N], dtype: ScalarType.Float64, device: d);
        HasZeroFields = !instance.Fields.ToArray().Any(h => h != 0);
    }

    public int N { get; }

    /// <summary>Whether every field h_i is exactly zero: then H(-x) = H(x) and the Boltzmann distribution is Z2 symmetric.</summary>
    public bool HasZeroFields { get; }

    /// <summary>H(x) for every row of <paramref name="x"/> [batch, N] (float64 +-1) -> [batch].</summary>
    public Tensor Energy(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2 || x.shape[1] != N)
            throw new ArgumentException($"PairwiseEnergy: x must have shape [batch, {N}], got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var pair = (x.matmul(_couplings) * x).sum(1) * 0.5;
        return (-pair - x.matmul(_fields)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _couplings.Dispose();
        _fields.Dispose();
    }
}
