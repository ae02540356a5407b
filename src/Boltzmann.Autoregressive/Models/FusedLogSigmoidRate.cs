using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The fused kernels' own log-sigmoid (<see cref="VectorLogSigmoid"/>: min(z, 0) - ln(1 + e^{-|z|}) on 256-bit vectors (AVX2: accelerated on x64 machines with or without AVX-512),
/// the float32 polynomials or the runtime's float64 exp/log) summed over a block, so a benchmark can measure the rate
/// at which the kernels evaluate their transcendentals (the bound of the SK step's cost model), not libtorch's.
/// </summary>
public static class FusedLogSigmoidRate
{
    /// <summary>sum_k ln sigma(z_k) in float32 with the kernels' vector code (a multiple of 8 entries is fully vectorised).</summary>
    public static float Sum(ReadOnlySpan<float> z) => SumOf(z);

    /// <summary>sum_k ln sigma(z_k) in float64 with the kernels' vector code (a multiple of 4 entries is fully vectorised).</summary>
    public static double Sum(ReadOnlySpan<double> z) => SumOf(z);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static T SumOf<T>(ReadOnlySpan<T> z) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        T total = T.Zero;
        if (Vector256.IsHardwareAccelerated)
        {
            ref T z0 = ref MemoryMarshal.GetReference(z);
            var acc = Vector256<T>.Zero;
            for (; i + Vector256<T>.Count <= z.Length; i += Vector256<T>.Count)
                acc += VectorLogSigmoid.LogSigmoid(Vector256.LoadUnsafe(ref z0, (nuint)i));
            total = Vector256.Sum(acc);
        }
        for (; i < z.Length; i++) total += VectorLogSigmoid.LogSigmoid(z[i]);
        return total;
    }
}
