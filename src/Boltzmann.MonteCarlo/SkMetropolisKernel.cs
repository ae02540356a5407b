using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Boltzmann.MonteCarlo;

/// <summary>
/// The inner loops of single-spin-flip Metropolis for H = -sum_{i&lt;j} J_ij s_i s_j - sum_i h_i s_i
/// with incremental local fields f_i = sum_j J_ij s_j + h_i. Flipping s_i changes the energy by
/// dE = 2 s_i f_i and every field by f_j -= 2 s_i J_ji, so an accepted flip costs one pass over the
/// coupling row i (stored pre-multiplied by 2, which is exact) and a rejected one costs nothing.
/// <para>
/// All buffers are padded to a multiple of 8 doubles and 64-byte aligned, so the row updates need
/// no tail loop. The only SIMD work is element-wise (f_j + (-s_i) * 2J_ij: a multiplication by +-1,
/// exact, and one rounded addition; the 512-bit path fuses them, which rounds identically because the
/// product is exact), so results do not depend on the vector width; there is no
/// reduction anywhere in what feeds the Markov chain except the scalar, fixed-order energy sum of
/// <see cref="Refresh"/>.
/// </para>
/// </summary>
internal static unsafe class SkMetropolisKernel
{
    /// <summary>Vector alignment of every buffer, in doubles (one 64-byte cache line).</summary>
    public const int PadDoubles = 8;

    /// <summary>
    /// One sequential sweep i = 0..n-1 (a systematic scan, which leaves the Boltzmann distribution
    /// invariant because each single-site Metropolis step does). Flip i is accepted iff
    /// dE &lt;= thresholds[i], where thresholds[i] = -T ln u_i with u_i uniform in (0, 1]: that is
    /// u_i &lt;= exp(-dE / T), the Metropolis rule (Metropolis et al., J. Chem. Phys. 21 (1953) 1087),
    /// and dE &lt;= 0 is always accepted because the threshold is non-negative.
    /// Returns the number of accepted flips; updates energy and magnetisation sum in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Sweep(double* twoJ, double* fields, sbyte* spins, double* thresholds, int n, int stride,
        ref double energy, ref int magnetisation)
    {
        int accepted = 0;
        double e = energy;
        int m = magnetisation;
        for (int i = 0; i < n; i++)
        {
            int si = spins[i];
            double s = si;
            double dE = 2.0 * s * fields[i];
            if (dE <= thresholds[i])
            {
                spins[i] = (sbyte)-si;
                e += dE;
                m -= 2 * si;
                accepted++;
                AddScaledRow(fields, twoJ + (nint)i * stride, -s, stride);
            }
        }
        energy = e;
        magnetisation = m;
        return accepted;
    }

    /// <summary>
    /// Recomputes the local fields (fields[i] = sum_j J_ij s_j + h_i) and returns the energy, from scratch
    /// and in double, to remove the drift of the incremental updates. The row sums are accumulated
    /// row by row in fixed order j = 0..n-1 (element-wise SIMD), the energy
    /// E = -sum_i s_i (a_i / 2 + h_i) with a_i = sum_j J_ij s_j is a scalar sum in fixed order.
    /// <paramref name="scratch"/> needs <paramref name="stride"/> doubles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Refresh(double* twoJ, double* externalFields, double* fields, sbyte* spins, double* scratch, int n, int stride)
    {
        new Span<double>(scratch, stride).Clear();
        for (int j = 0; j < n; j++) AddScaledRow(scratch, twoJ + (nint)j * stride, spins[j], stride);
        double e = 0;
        for (int i = 0; i < n; i++)
        {
            double a = 0.5 * scratch[i]; // exact: the rows hold 2J
            fields[i] = a + externalFields[i];
            e -= spins[i] * (0.5 * a + externalFields[i]);
        }
        for (int i = n; i < stride; i++) fields[i] = 0;
        return e;
    }

    /// <summary>target[k] += scale * row[k] for k &lt; stride (a multiple of 8, both 64-byte aligned), widest SIMD available.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaledRow(double* target, double* row, double scale, int stride)
    {
        if (Vector512.IsHardwareAccelerated) AddScaledRow512(target, row, scale, stride);
        else if (Vector256.IsHardwareAccelerated) AddScaledRow256(target, row, scale, stride);
        else if (Vector128.IsHardwareAccelerated) AddScaledRow128(target, row, scale, stride);
        else AddScaledRowScalar(target, row, scale, stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddScaledRow512(double* target, double* row, double scale, int stride)
    {
        var v = Vector512.Create(scale);
        for (int k = 0; k < stride; k += 8)
            Vector512.StoreAligned(Vector512.FusedMultiplyAdd(Vector512.LoadAligned(row + k), v, Vector512.LoadAligned(target + k)), target + k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddScaledRow256(double* target, double* row, double scale, int stride)
    {
        var v = Vector256.Create(scale);
        for (int k = 0; k < stride; k += 4)
            Vector256.StoreAligned(Vector256.LoadAligned(target + k) + Vector256.LoadAligned(row + k) * v, target + k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddScaledRow128(double* target, double* row, double scale, int stride)
    {
        var v = Vector128.Create(scale);
        for (int k = 0; k < stride; k += 2)
            Vector128.StoreAligned(Vector128.LoadAligned(target + k) + Vector128.LoadAligned(row + k) * v, target + k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddScaledRowScalar(double* target, double* row, double scale, int stride)
    {
        for (int k = 0; k < stride; k++) target[k] += row[k] * scale;
    }

    /// <summary>Rounds <paramref name="n"/> up to a multiple of <see cref="PadDoubles"/>.</summary>
    public static int Stride(int n) => (n + PadDoubles - 1) / PadDoubles * PadDoubles;
}
