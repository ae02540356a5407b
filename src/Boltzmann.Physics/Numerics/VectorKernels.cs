using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Boltzmann.Physics.Numerics;

/// <summary>
/// SIMD building blocks (dot product, axpy) shared by the dense linear algebra of this folder. Every dense
/// routine here spends its time in these two loops over contiguous rows, so they are the only place that
/// touches <see cref="Vector{T}"/>.
/// </summary>
internal static class VectorKernels
{
    /// <summary>sum_i a_i b_i over the common length of the two spans (callers pass equal lengths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length;
        int width = Vector<double>.Count;
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        var acc0 = Vector<double>.Zero;
        var acc1 = Vector<double>.Zero;
        int i = 0;
        for (; i <= n - 2 * width; i += 2 * width)
        {
            acc0 += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
            acc1 += Vector.LoadUnsafe(ref ra, (nuint)(i + width)) * Vector.LoadUnsafe(ref rb, (nuint)(i + width));
        }
        for (; i <= n - width; i += width)
            acc0 += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
        double sum = Vector.Sum(acc0 + acc1);
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y += alpha x over the length of <paramref name="x"/> (y at least as long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        int width = Vector<double>.Count;
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double ry = ref MemoryMarshal.GetReference(y);
        var va = new Vector<double>(alpha);
        int i = 0;
        for (; i <= n - width; i += width)
            (Vector.LoadUnsafe(ref ry, (nuint)i) + va * Vector.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    /// <summary>y_q += a_q x for four destination rows at once (x is loaded once for all four).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy4(double a0, double a1, double a2, double a3, ReadOnlySpan<double> x,
        Span<double> y0, Span<double> y1, Span<double> y2, Span<double> y3)
    {
        int n = x.Length;
        int width = Vector<double>.Count;
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double r0 = ref MemoryMarshal.GetReference(y0);
        ref double r1 = ref MemoryMarshal.GetReference(y1);
        ref double r2 = ref MemoryMarshal.GetReference(y2);
        ref double r3 = ref MemoryMarshal.GetReference(y3);
        var v0 = new Vector<double>(a0);
        var v1 = new Vector<double>(a1);
        var v2 = new Vector<double>(a2);
        var v3 = new Vector<double>(a3);
        int i = 0;
        for (; i <= n - width; i += width)
        {
            var m = Vector.LoadUnsafe(ref rx, (nuint)i);
            (Vector.LoadUnsafe(ref r0, (nuint)i) + v0 * m).StoreUnsafe(ref r0, (nuint)i);
            (Vector.LoadUnsafe(ref r1, (nuint)i) + v1 * m).StoreUnsafe(ref r1, (nuint)i);
            (Vector.LoadUnsafe(ref r2, (nuint)i) + v2 * m).StoreUnsafe(ref r2, (nuint)i);
            (Vector.LoadUnsafe(ref r3, (nuint)i) + v3 * m).StoreUnsafe(ref r3, (nuint)i);
        }
        for (; i < n; i++)
        {
            double m = x[i];
            y0[i] += a0 * m;
            y1[i] += a1 * m;
            y2[i] += a2 * m;
            y3[i] += a3 * m;
        }
    }
}
