using System.Numerics;
using System.Runtime.InteropServices;

namespace Boltzmann.Learning.Training.Optimizers;

/// <summary>
/// The element-wise passes of one Adam update (Kingma &amp; Ba 2015, Algorithm 1) fused over the parameter, gradient and
/// moment buffers, computing per element exactly what TorchSharp's <c>torch.optim.Adam</c> computes with one libtorch
/// kernel per operation (measured bit for bit: libtorch's <c>add(b, alpha)</c> is one fused multiply-add
/// <c>fma(b, alpha, a)</c>, <c>addcmul</c> is <c>a + (value·t₁)·t₂</c> with the final multiply-add fused, <c>addcdiv</c>
/// is <c>a + (value·t₁)/t₂</c>, division by a Scalar is a true division). The square root is left to libtorch
/// (its vectorised float32 sqrt is not always correctly rounded, so a C# one would differ in the last bit).
/// One pass reads each buffer once instead of ~20 buffer passes of the per-operation sequence.
/// </summary>
internal static class AdamKernel
{
    /// <summary>g ← g + wd·θ (L2 weight decay, libtorch's <c>grad.add(param, wd)</c>) into <paramref name="result"/>.</summary>
    public static void WeightDecay<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> parameter, T weightDecay, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = grad.Length, i = 0, w = Vector<T>.Count;
        var wd = new Vector<T>(weightDecay);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T p = ref MemoryMarshal.GetReference(parameter);
        ref T r = ref MemoryMarshal.GetReference(result);
        for (; i <= n - w; i += w)
            Fma(Vector.LoadUnsafe(ref p, (nuint)i), wd, Vector.LoadUnsafe(ref g, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
        for (; i < n; i++) result[i] = T.FusedMultiplyAdd(parameter[i], weightDecay, grad[i]);
    }

    /// <summary>
    /// m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g² in place; <paramref name="second"/> also receives the new v
    /// (the buffer libtorch then square-roots in place). <paramref name="grad"/> may alias <paramref name="second"/>.
    /// </summary>
    public static void Moments<T>(ReadOnlySpan<T> grad, Span<T> first, Span<T> moment2, Span<T> second,
                                  T beta1, T oneMinusBeta1, T beta2, T oneMinusBeta2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = grad.Length, i = 0, w = Vector<T>.Count;
        var b1 = new Vector<T>(beta1); var c1 = new Vector<T>(oneMinusBeta1);
        var b2 = new Vector<T>(beta2); var c2 = new Vector<T>(oneMinusBeta2);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T m = ref MemoryMarshal.GetReference(first);
        ref T v = ref MemoryMarshal.GetReference(moment2);
        ref T s = ref MemoryMarshal.GetReference(second);
        for (; i <= n - w; i += w)
        {
            var gi = Vector.LoadUnsafe(ref g, (nuint)i);
            var mi = Fma(gi, c1, Vector.LoadUnsafe(ref m, (nuint)i) * b1);
            var vi = Fma(c2 * gi, gi, Vector.LoadUnsafe(ref v, (nuint)i) * b2);
            mi.StoreUnsafe(ref m, (nuint)i);
            vi.StoreUnsafe(ref v, (nuint)i);
            vi.StoreUnsafe(ref s, (nuint)i);
        }
        for (; i < n; i++)
        {
            T gi = grad[i];
            first[i] = T.FusedMultiplyAdd(gi, oneMinusBeta1, first[i] * beta1);
            T vi = T.FusedMultiplyAdd(oneMinusBeta2 * gi, gi, moment2[i] * beta2);
            moment2[i] = vi;
            second[i] = vi;
        }
    }

    /// <summary>θ ← θ + step · m / (√v / √bc₂ + ε), with <paramref name="sqrtV"/> = √v and <paramref name="step"/> = −lr/bc₁.</summary>
    public static void Update<T>(Span<T> parameter, ReadOnlySpan<T> first, ReadOnlySpan<T> sqrtV, T sqrtBiasCorrection2, T epsilon, T step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = parameter.Length, i = 0, w = Vector<T>.Count;
        var bc = new Vector<T>(sqrtBiasCorrection2); var eps = new Vector<T>(epsilon); var st = new Vector<T>(step);
        ref T p = ref MemoryMarshal.GetReference(parameter);
        ref T m = ref MemoryMarshal.GetReference(first);
        ref T d = ref MemoryMarshal.GetReference(sqrtV);
        for (; i <= n - w; i += w)
        {
            var denominator = Vector.LoadUnsafe(ref d, (nuint)i) / bc + eps;
            (Vector.LoadUnsafe(ref p, (nuint)i) + st * Vector.LoadUnsafe(ref m, (nuint)i) / denominator).StoreUnsafe(ref p, (nuint)i);
        }
        for (; i < n; i++) parameter[i] += step * first[i] / (sqrtV[i] / sqrtBiasCorrection2 + epsilon);
    }

    private static Vector<T> Fma<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        throw new NotSupportedException($"AdamKernel: element type {typeof(T).Name} is not supported.");
    }
}
