using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Boltzmann.Physics.Lattice;

/// <summary>
/// Shifted-view kernels over flat lattice fields (site i = x*T + t). A shift by e1 is a shift of the flat array
/// by one element except at the row ends (t = 0 and t = T - 1), which are fixed afterwards as a short tail; a shift
/// by e0 is a shift by T elements with the last row wrapping to the first.
/// </summary>
public static class LatticeShift
{
    /// <summary>dst[i] = src[i + e1] + src[i - e1] on an L x T lattice with row length <paramref name="t"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddForwardBackward1(ReadOnlySpan<double> src, Span<double> dst, int t)
    {
        int v = src.Length;
        // Interior of the flat array: dst[i] = src[i + 1] + src[i - 1] for i in [1, v - 1).
        Add(src.Slice(2, v - 2), src.Slice(0, v - 2), dst.Slice(1, v - 2));
        // Row ends: t = 0 and t = T - 1 of every row.
        for (int row = 0; row < v; row += t)
        {
            int last = row + t - 1;
            dst[row] = src[row + 1] + src[last];
            dst[last] = src[row] + src[last - 1];
        }
    }

    /// <summary>dst[i] = src[i + e1] (exact copy; t = T - 1 wraps to t = 0 of the same row).</summary>
    public static void Forward1(ReadOnlySpan<double> src, Span<double> dst, int t)
    {
        int v = src.Length;
        src.Slice(1, v - 1).CopyTo(dst.Slice(0, v - 1));
        for (int row = 0; row < v; row += t) dst[row + t - 1] = src[row];
    }

    /// <summary>z = a + b elementwise over the common length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> z) => AddScaled(a, b, 1.0, z);

    /// <summary>z = a - b elementwise over the common length (a + (-1) b is exactly a - b in IEEE arithmetic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> z) => AddScaled(a, b, -1.0, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double sign, Span<double> z)
    {
        int n = z.Length;
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rz = ref MemoryMarshal.GetReference(z);
        int w = Vector<double>.Count;
        int i = 0;
        var vs = new Vector<double>(sign);
        if (Vector.IsHardwareAccelerated)
            for (; i <= n - w; i += w)
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref ra, (nuint)i) + vs * Vector.LoadUnsafe(ref rb, (nuint)i), ref rz, (nuint)i);
        for (; i < n; i++) z[i] = a[i] + sign * b[i];
    }
}
