using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// The checkerboard masks of the two half position updates (Foreman, Jin and Osborn, arXiv:2105.03418, eq. 2 and
/// footnote 3): m^k freezes the sites (x, t) with (x + t + k) even (both link directions), the first half update
/// changes the complement m̄^k, the second changes m^k. Built lazily per device and dtype of the fields they act on.
/// </summary>
internal sealed class CheckerboardMasks(int l, int t)
{
    private readonly Dictionary<(string, ScalarType), (Tensor Even, Tensor Odd, Tensor EvenFloat, Tensor OddFloat)> _cache = [];

    /// <summary>(frozen float, updated bool) of the first and of the second half update of layer k.</summary>
    public (Tensor FrozenFirst, Tensor UpdatedFirst, Tensor FrozenSecond, Tensor UpdatedSecond) For(int k, Tensor like)
    {
        var key = (like.device.ToString(), like.dtype);
        if (!_cache.TryGetValue(key, out var m))
        {
            using var scope = NewDisposeScope();
            var i = arange(l, ScalarType.Int64, like.device).view(l, 1);
            var j = arange(t, ScalarType.Int64, like.device).view(1, t);
            var parity = i.add(j).remainder(2L).eq(0L).view(1, 1, l, t);
            var odd = parity.logical_not();
            m = (parity.DetachFromDisposeScope(), odd.DetachFromDisposeScope(),
                parity.to(like.dtype).DetachFromDisposeScope(), odd.to(like.dtype).DetachFromDisposeScope());
            _cache[key] = m;
        }
        // Layer k freezes parity k mod 2 first (m^k), then updates it.
        return k % 2 == 0 ? (m.EvenFloat, m.Odd, m.OddFloat, m.Even) : (m.OddFloat, m.Even, m.EvenFloat, m.Odd);
    }
}
