using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>Exact (bitwise, for non-NaN values) tensor comparison: same shape, same dtype, every entry equal.</summary>
public static class TensorCompare
{
    public static bool Identical(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape)) return false;
        using var scope = NewDisposeScope();
        return a.eq(b).all().item<bool>();
    }
}
