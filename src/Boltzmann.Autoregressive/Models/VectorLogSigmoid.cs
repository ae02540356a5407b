using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// ln sigma(z) = min(z, 0) - ln(1 + e^{-|z|}) and its pieces on 256-bit vectors (AVX2: accelerated on x64 machines with or without AVX-512), shared by the fused kernels
/// (<see cref="SkBranchKernel"/>, <see cref="PrefixSumKernel"/>): in float32 e^{-|z|} and ln(1 + u) are short
/// polynomials accurate to the float32 rounding the networks train in (about 3x the runtime's exact vector exp/log);
/// float64 uses the runtime's vector exp/log, so float64 results agree with libtorch's to rounding.
/// </summary>
internal static class VectorLogSigmoid
{
    /// <summary>Lanes at index &gt;= <paramref name="from"/> set (all bits), the others clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> TailMask<T>(int from) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var lanes = Vector256<T>.Indices;
        return Vector256.GreaterThanOrEqual(lanes, Vector256.Create(T.CreateTruncating(from)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T LogSigmoid<T>(T z) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.Min(z, T.Zero) - T.Log(T.One + T.Exp(-T.Abs(z)));

    /// <summary>a b + c in one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> LogSigmoid<T>(Vector256<T> z) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector256.Min(z, Vector256<T>.Zero) - Log1P(ExpOfMinusAbs(z));

    /// <summary>e^{-|z|} in (0, 1]: float32 through <see cref="FastExpOfNonPositive"/>, float64 through the runtime's vector exp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> ExpOfMinusAbs<T>(Vector256<T> z) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return FastExpOfNonPositive(-Vector256.Abs(z.AsSingle())).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Exp(-Vector256.Abs(z.AsDouble())).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>ln(1 + u) for u in [0, 1]: float32 through <see cref="FastLog1PUnit"/>, float64 through the runtime's vector log.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Log1P<T>(Vector256<T> u) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return FastLog1PUnit(u.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Log(Vector256<double>.One + u.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>
    /// e^x for x &lt;= 0 in float32 (absolute error &lt; 1e-7; x below -87 gives e^-87): x = k ln 2 + r with
    /// |r| &lt;= ln 2 / 2 (ln 2 split in two parts, Cody-Waite), a degree-7 polynomial for e^r and 2^k from the exponent
    /// bits. About 3x the runtime's Vector256.Exp(float), which is accurate to the last bit the kernel does not need.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> FastExpOfNonPositive(Vector256<float> x)
    {
        x = Vector256.Max(x, Vector256.Create(-87f));
        var k = Vector256.Round(x * Vector256.Create(1.44269504f));
        var r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-0.693145751953125f), x);
        r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-1.428606765330187e-06f), r);
        var p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        var scale = (Vector256.ConvertToInt32(k) + Vector256.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    /// <summary>
    /// ln(1 + u) for u in [0, 1] in float32 (absolute error &lt; 1e-7): with s = u / (2 + u) in [0, 1/3],
    /// ln(1 + u) = 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + ... + s^12/13), truncation below (1/9)^7 / 15.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> FastLog1PUnit(Vector256<float> u)
    {
        var s = u / (Vector256.Create(2f) + u);
        var s2 = s * s;
        var p = Vector256.Create(1f / 13);
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1f / 11));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1f / 9));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1f / 7));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1f / 5));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1f / 3));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256<float>.One);
        return (s + s) * p;
    }
}
