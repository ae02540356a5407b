using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Boltzmann.Physics.Actions;

namespace Boltzmann.Physics.Lattice;

/// <summary>
/// 2D U(1) lattice gauge theory with the Wilson action (Foreman, Jin &amp; Osborn 2021, eq. 3):
///   S_beta(x) = beta sum_P (1 - cos x_P),  x_P(n) = x_0(n) + x_1(n+e0) - x_0(n+e1) - x_1(n),
/// on link angles x_mu(n) stored flat at mu*V + n. Gradient (with s(n) = beta sin x_P(n)):
///   dS/dx_0(n) = s(n) - s(n - e1),   dS/dx_1(n) = s(n - e0) - s(n).
/// Holds a V-length scratch buffer for the plaquette sines, so an instance belongs to one chain (one thread);
/// <see cref="Clone"/> makes another. The plaquette angles use flat shifted views (e1: +1 with a per-row wrap
/// tail, e0: +T with the last row wrapping) and a vectorised sin/cos over all plaquettes.
/// </summary>
public sealed class U1WilsonAction : IContinuousAction
{
    private readonly double[] _scratch;

    public U1WilsonAction(Lattice2D lattice, double beta)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        if (!(beta > 0) || double.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and > 0.");
        Lattice = lattice;
        Beta = beta;
        _scratch = new double[lattice.Volume];
    }

    public Lattice2D Lattice { get; }

    /// <summary>Inverse coupling beta = 2 / g0^2.</summary>
    public double Beta { get; }

    public int Dimension => Lattice.LinkCount;

    /// <summary>A fresh instance (own scratch) for another chain.</summary>
    public U1WilsonAction Clone() => new(Lattice, Beta);

    public double Action(ReadOnlySpan<double> links)
    {
        CheckLength(links.Length);
        double sumCos = PlaquetteSinCos(links, _scratch, 0);
        return Beta * (Lattice.Volume - sumCos);
    }

    public double ActionAndGradient(ReadOnlySpan<double> links, Span<double> gradient)
    {
        CheckLength(links.Length);
        if (gradient.Length != links.Length) throw new ArgumentException($"Gradient length {gradient.Length} != {links.Length}.", nameof(gradient));
        int t = Lattice.T, v = Lattice.Volume;
        var s = _scratch;
        double sumCos = PlaquetteSinCos(links, s, Beta);

        var g0 = gradient.Slice(0, v);
        var g1 = gradient.Slice(v, v);
        // g0(n) = s(n) - s(n - e1): flat shift by one, the t = 0 site of each row wraps to t = T - 1.
        LatticeShift.Subtract(s.AsSpan(1, v - 1), s.AsSpan(0, v - 1), g0.Slice(1, v - 1));
        for (int row = 0; row < v; row += t) g0[row] = s[row] - s[row + t - 1];
        // g1(n) = s(n - e0) - s(n): rows shift by T, the first row wraps to the last.
        LatticeShift.Subtract(s.AsSpan(v - t, t), s.AsSpan(0, t), g1.Slice(0, t));
        LatticeShift.Subtract(s.AsSpan(0, v - t), s.AsSpan(t, v - t), g1.Slice(t, v - t));
        return Beta * (v - sumCos);
    }

    /// <summary>
    /// Writes the plaquette angles x_P(n) (Foreman eq. 3) into <paramref name="angles"/> (length V).
    /// </summary>
    public static void PlaquetteAngles(Lattice2D lattice, ReadOnlySpan<double> links, Span<double> angles)
    {
        int v = lattice.Volume, t = lattice.T;
        if (links.Length != 2 * v || angles.Length != v) throw new ArgumentException("links must have 2V and angles V entries.");
        var x0 = links.Slice(0, v);
        var x1 = links.Slice(v, v);
        // angles <- x_0(n + e1)
        LatticeShift.Forward1(x0, angles, t);
        // angles <- x_0(n) + x_1(n + e0) - x_0(n + e1) - x_1(n)
        Combine(x0, x1, angles, 0, v - t, t);
        Combine(x0, x1, angles, v - t, t, t - v);
    }

    private static void Combine(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, Span<double> a, int start, int count, int dForward)
    {
        for (int i = start; i < start + count; i++) a[i] = x0[i] + x1[i + dForward] - a[i] - x1[i];
    }

    /// <summary>
    /// scratch <- scale * sin x_P for every plaquette (when scale != 0) and returns sum_P cos x_P.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double PlaquetteSinCos(ReadOnlySpan<double> links, double[] scratch, double scale)
    {
        int v = Lattice.Volume, t = Lattice.T;
        var x0 = links.Slice(0, v);
        var x1 = links.Slice(v, v);
        LatticeShift.Forward1(x0, scratch, t);
        return SinCosSegment(x0, x1, scratch, 0, v - t, t, scale)
             + SinCosSegment(x0, x1, scratch, v - t, t, t - v, scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SinCosSegment(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, double[] a, int start, int count, int dForward, double scale)
    {
        ref double r0 = ref MemoryMarshal.GetReference(x0);
        ref double r1 = ref MemoryMarshal.GetReference(x1);
        ref double ra = ref MemoryMarshal.GetArrayDataReference(a);
        int i = start, end = start + count;
        double sumCos = 0;
        if (Vector256.IsHardwareAccelerated && count >= Vector256<double>.Count)
        {
            var vs = Vector256.Create(scale);
            var acc = Vector256<double>.Zero;
            for (; i <= end - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var xp = Vector256.LoadUnsafe(ref r0, (nuint)i) + Vector256.LoadUnsafe(ref r1, (nuint)(i + dForward))
                         - Vector256.LoadUnsafe(ref ra, (nuint)i) - Vector256.LoadUnsafe(ref r1, (nuint)i);
                var (sin, cos) = Vector256.SinCos(xp);
                acc += cos;
                (vs * sin).StoreUnsafe(ref ra, (nuint)i);
            }
            sumCos = Vector256.Sum(acc);
        }
        for (; i < end; i++)
        {
            double xp = x0[i] + x1[i + dForward] - a[i] - x1[i];
            var (sin, cos) = Math.SinCos(xp);
            sumCos += cos;
            a[i] = scale * sin;
        }
        return sumCos;
    }

    private void CheckLength(int n)
    {
        if (n != Lattice.LinkCount) throw new ArgumentException($"Link array length {n} != 2V = {Lattice.LinkCount} for lattice {Lattice}.");
    }
}
