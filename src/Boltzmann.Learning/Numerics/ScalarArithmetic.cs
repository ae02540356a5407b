using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Numerics;

/// <summary>
/// Tensor–number arithmetic that disposes its native <see cref="Scalar"/> at once. In TorchSharp 0.107 every
/// implicit double → Scalar conversion (t.mul(0.5), t.add(1.0), t.lt(0.5), functional.leaky_relu(x, 0.01)) and
/// even tensor + tensor (t.add(u) passes a fresh alpha = 1 Scalar) allocates a native c10::Scalar that dispose
/// scopes do not track; it lives until a finalizer runs. Measured here: those interleaved allocations grow the
/// resident set by roughly one tensor-sized block per leaked Scalar (≈ 1 MB per training step at N = 64) until
/// a GC happens. Hot paths use these helpers instead, so memory stays flat step after step.
/// <para>
/// They also keep every Scalar alive until its native call has returned. TorchSharp passes only the Scalar's raw
/// handle to P/Invoke and never calls GC.KeepAlive on it, so a temporary Scalar is unreachable during the call; a
/// garbage collection on another thread can then run its finalizer, which frees the c10::Scalar while libtorch
/// reads it ("Unknown scalar type", "toDouble" — docs/platform.md, TorchSharp section). A <c>using</c> local or a
/// static field stays reachable across the call.
/// </para>
/// </summary>
public static class ScalarArithmetic
{
    /// <summary>The shared Scalar 1 used as alpha of tensor additions (immutable, process lifetime).</summary>
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary>The shared integer Scalar 1: alpha of integer tensor additions (libtorch rejects a floating alpha there).</summary>
    public static readonly Scalar OneInteger = 1L.ToScalar();

    /// <summary>The exponent of <see cref="Squared"/> (process lifetime).</summary>
    private static readonly Scalar Two = 2L.ToScalar();

    /// <summary>The alpha 1 that suits <paramref name="t"/>'s dtype.</summary>
    private static Scalar AlphaOne(Tensor t) => t.dtype switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 or ScalarType.Bool => OneInteger,
        _ => One,
    };

    /// <summary>a + b without allocating an alpha Scalar.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, AlphaOne(a));

    /// <summary>a += b in place (TorchSharp's add_(b) would pass a temporary alpha Scalar).</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, AlphaOne(a));

    /// <summary>t², bit-identical to TorchSharp's <c>square()</c>, which is <c>pow(2)</c> with a temporary Scalar 2.</summary>
    public static Tensor Squared(this Tensor t) => t.pow(Two);

    /// <summary>a − b (TorchSharp's tensor sub takes no alpha, so nothing leaks; named for symmetry with <see cref="Plus"/>).</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.sub(b);

    /// <summary>t · c.</summary>
    public static Tensor Times(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.mul(s);
    }

    /// <summary>t · c with an integer Scalar (integer tensors keep their dtype, as with <c>t * (long)c</c>).</summary>
    public static Tensor TimesInteger(this Tensor t, long c)
    {
        using var s = c.ToScalar();
        return t.mul(s);
    }

    /// <summary>t − c.</summary>
    public static Tensor MinusConstant(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.sub(s);
    }

    /// <summary>t / c (a true division, bit-identical to t / c with an implicit Scalar).</summary>
    public static Tensor DividedBy(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.div(s);
    }

    /// <summary>t + c.</summary>
    public static Tensor PlusConstant(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.add(s, One);
    }

    /// <summary>t &lt; c, elementwise.</summary>
    public static Tensor LessThan(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.lt(s);
    }

    /// <summary>t &gt; c, elementwise.</summary>
    public static Tensor GreaterThan(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.gt(s);
    }
}
