using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Boltzmann.Physics.Numerics;

/// <summary>
/// In-place, unnormalised fast Walsh-Hadamard transform: (H x)[y] = sum_x (-1)^popcount(x AND y) x[x]
/// over a power-of-two length 2^n, in n log-stages of butterflies (O(n 2^n) instead of O(4^n)).
/// H H = 2^n I, so applying it twice and dividing by 2^n is the inverse.
/// </summary>
/// <remarks>
/// Why it is here: the XOR-convolution theorem, H(a ⊛ b) = (H a)(H b) with (a ⊛ b)[t] = sum_s a[s] b[s XOR t],
/// turns the exact overlap distribution of two independent replicas into two transforms and a pointwise square
/// (see <see cref="Sk.SkExactEnumeration"/>). Large arrays (2^24 doubles = 128 MB) are memory-bound, so the
/// low stages run block by block inside a cache-sized block and the remaining high stages are fused two at a
/// time (radix-4), halving the number of sweeps over main memory.
/// </remarks>
public static class WalshHadamardTransform
{
    /// <summary>log2 of the block (in doubles) whose low stages are done while it sits in cache: 2^13 doubles = 64 KB.</summary>
    private const int BlockLog2 = 13;

    /// <summary>Transforms <paramref name="data"/> in place; its length must be a power of two (1 is allowed).</summary>
    public static void InPlace(Span<double> data)
    {
        int length = data.Length;
        if (length == 0 || !BitOperations.IsPow2(length))
            throw new ArgumentException($"Walsh-Hadamard transform needs a power-of-two length, got {length}.", nameof(data));
        if (length == 1) return;

        int block = Math.Min(length, 1 << BlockLog2);
        for (int start = 0; start < length; start += block)
            LowStages(data.Slice(start, block));

        // Remaining stages h = block, 2*block, ... < length over the whole array, two at a time when possible.
        int h = block;
        while (h < length)
        {
            if (2 * h < length)
            {
                Radix4Stage(data, h);
                h *= 4;
            }
            else
            {
                Radix2Stage(data, h);
                h *= 2;
            }
        }
    }

    /// <summary>All stages with stride h &lt; block.Length, inside one cache-resident block.</summary>
    private static void LowStages(Span<double> block)
    {
        int n = block.Length;
        int h = 1;
        // Small strides below the vector width are done with scalar butterflies.
        while (h < n && h < Vector<double>.Count)
        {
            ScalarStage(block, h);
            h *= 2;
        }
        while (h < n)
        {
            if (2 * h < n)
            {
                Radix4Stage(block, h);
                h *= 4;
            }
            else
            {
                Radix2Stage(block, h);
                h *= 2;
            }
        }
    }

    private static void ScalarStage(Span<double> x, int h)
    {
        for (int i = 0; i < x.Length; i += 2 * h)
            for (int j = i; j < i + h; j++)
            {
                double a = x[j], b = x[j + h];
                x[j] = a + b;
                x[j + h] = a - b;
            }
    }

    /// <summary>One butterfly stage of stride h (h a multiple of the vector width).</summary>
    private static void Radix2Stage(Span<double> x, int h)
    {
        int w = Vector<double>.Count;
        ref double r = ref MemoryMarshal.GetReference(x);
        for (int i = 0; i < x.Length; i += 2 * h)
            for (int j = i; j < i + h; j += w)
            {
                var a = Vector.LoadUnsafe(ref r, (nuint)j);
                var b = Vector.LoadUnsafe(ref r, (nuint)(j + h));
                (a + b).StoreUnsafe(ref r, (nuint)j);
                (a - b).StoreUnsafe(ref r, (nuint)(j + h));
            }
    }

    /// <summary>Stages h and 2h fused: each group of four elements a0..a3 at stride h gets its 4-point transform.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Radix4Stage(Span<double> x, int h)
    {
        int w = Vector<double>.Count;
        ref double r = ref MemoryMarshal.GetReference(x);
        for (int i = 0; i < x.Length; i += 4 * h)
            for (int j = i; j < i + h; j += w)
            {
                var a0 = Vector.LoadUnsafe(ref r, (nuint)j);
                var a1 = Vector.LoadUnsafe(ref r, (nuint)(j + h));
                var a2 = Vector.LoadUnsafe(ref r, (nuint)(j + 2 * h));
                var a3 = Vector.LoadUnsafe(ref r, (nuint)(j + 3 * h));
                var s01 = a0 + a1;
                var d01 = a0 - a1;
                var s23 = a2 + a3;
                var d23 = a2 - a3;
                (s01 + s23).StoreUnsafe(ref r, (nuint)j);
                (d01 + d23).StoreUnsafe(ref r, (nuint)(j + h));
                (s01 - s23).StoreUnsafe(ref r, (nuint)(j + 2 * h));
                (d01 - d23).StoreUnsafe(ref r, (nuint)(j + 3 * h));
            }
    }
}
