using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Boltzmann.Physics.Actions;

namespace Boltzmann.Physics.Lattice;

/// <summary>
/// Real scalar phi^4 theory on a periodic 2D lattice in the hopping-parameter form (Nicoli et al. 2021,
/// PRL 126, 032001, eq. 1; the talk's S(phi) slide):
///   S(phi) = sum_x [ -2 kappa sum_{mu=0,1} phi(x) phi(x+mu) + (1 - 2 lambda) phi(x)^2 + lambda phi(x)^4 ].
/// Gradient: dS/dphi(x) = -2 kappa sum_mu [phi(x+mu) + phi(x-mu)] + 2 (1 - 2 lambda) phi(x) + 4 lambda phi(x)^3.
/// Stateless apart from the couplings, so one instance may be shared between threads.
/// The kernel is allocation-free: the t-direction neighbour sum is one shifted vector add over the flat field
/// with the t = 0 and t = T - 1 wrap fixed per row as a tail; the x-direction neighbours are the whole rows
/// x +- 1, i.e. flat offsets +-T, processed as three contiguous segments.
/// </summary>
public sealed class Phi4Action : IContinuousAction
{
    private readonly double _a2;   // 1 - 2 lambda
    private readonly double _l;    // lambda
    private readonly double _k;    // kappa

    public Phi4Action(Lattice2D lattice, double kappa, double lambda)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        if (!(kappa >= 0) || double.IsInfinity(kappa)) throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "kappa must be finite and >= 0.");
        if (!(lambda >= 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be finite and >= 0 (the action is unbounded below otherwise).");
        Lattice = lattice;
        Kappa = kappa;
        Lambda = lambda;
        _k = kappa;
        _l = lambda;
        _a2 = 1 - 2 * lambda;
    }

    public Lattice2D Lattice { get; }

    /// <summary>Hopping parameter kappa.</summary>
    public double Kappa { get; }

    /// <summary>Quartic coupling lambda.</summary>
    public double Lambda { get; }

    public int Dimension => Lattice.Volume;

    /// <summary>The same lattice and lambda at another kappa.</summary>
    public Phi4Action WithKappa(double kappa) => new(Lattice, kappa, Lambda);

    public double Action(ReadOnlySpan<double> phi)
    {
        CheckLength(phi.Length);
        // S = sum_x phi(x) [ -2 kappa (phi(x+e0) + phi(x+e1)) + (1-2 lambda) phi + lambda phi^3 ].
        int l = Lattice.L, t = Lattice.T;
        double s = 0;
        for (int x = 0; x < l; x++)
        {
            int row = x * t;
            int next = x == l - 1 ? 0 : row + t;
            for (int tt = 0; tt < t; tt++)
            {
                double p = phi[row + tt];
                double fwd = phi[next + tt] + phi[row + (tt == t - 1 ? 0 : tt + 1)];
                double p2 = p * p;
                s += -2 * _k * p * fwd + _a2 * p2 + _l * p2 * p2;
            }
        }
        return s;
    }

    public double ActionAndGradient(ReadOnlySpan<double> phi, Span<double> gradient)
    {
        CheckLength(phi.Length);
        if (gradient.Length != phi.Length) throw new ArgumentException($"Gradient length {gradient.Length} != {phi.Length}.", nameof(gradient));
        int t = Lattice.T, v = Lattice.Volume;

        // gradient <- phi(x+e1) + phi(x-e1): interior by one shifted add, the two wrap sites of each row as a tail.
        LatticeShift.AddForwardBackward1(phi, gradient, t);

        // Fused pass: n = t-neighbours + x-neighbours (rows x+1, x-1 at flat offsets +T, -T with periodic wrap).
        double s = 0;
        if (v == 2 * t)
        {
            // L = 2: both x-neighbours are the other row.
            s += Fused(phi, gradient, 0, t, t, t);
            s += Fused(phi, gradient, t, t, -t, -t);
        }
        else
        {
            s += Fused(phi, gradient, 0, t, t, v - t);
            s += Fused(phi, gradient, t, v - 2 * t, t, -t);
            s += Fused(phi, gradient, v - t, t, t - v, -t);
        }
        return s;
    }

    /// <summary>
    /// Over sites [start, start + count): n = g + phi(i + dForward) + phi(i + dBackward) (g holds the t-neighbour sum);
    /// accumulates phi (-kappa n + (1-2l) phi + l phi^3) (each bond counted once since the sum over n double counts)
    /// and writes g = -2 kappa n + 2 (1-2l) phi + 4 l phi^3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Fused(ReadOnlySpan<double> phi, Span<double> g, int start, int count, int dForward, int dBackward)
    {
        ref double rp = ref MemoryMarshal.GetReference(phi);
        ref double rg = ref MemoryMarshal.GetReference(g);
        double k = _k, a2 = _a2, l = _l;
        int w = Vector<double>.Count;
        int i = start, end = start + count;
        double s = 0;
        if (Vector.IsHardwareAccelerated && count >= w)
        {
            var vk = new Vector<double>(-k);
            var v2k = new Vector<double>(-2 * k);
            var va2 = new Vector<double>(a2);
            var v2a2 = new Vector<double>(2 * a2);
            var vl = new Vector<double>(l);
            var v4l = new Vector<double>(4 * l);
            var acc = Vector<double>.Zero;
            for (; i <= end - w; i += w)
            {
                var p = Vector.LoadUnsafe(ref rp, (nuint)i);
                var n = Vector.LoadUnsafe(ref rg, (nuint)i)
                        + Vector.LoadUnsafe(ref rp, (nuint)(i + dForward))
                        + Vector.LoadUnsafe(ref rp, (nuint)(i + dBackward));
                var p2 = p * p;
                acc += p * (vk * n + va2 * p + vl * p2 * p);
                Vector.StoreUnsafe(v2k * n + p * (v2a2 + v4l * p2), ref rg, (nuint)i);
            }
            s = Vector.Sum(acc);
        }
        for (; i < end; i++)
        {
            double p = phi[i];
            double n = g[i] + phi[i + dForward] + phi[i + dBackward];
            double p2 = p * p;
            s += p * (-k * n + a2 * p + l * p2 * p);
            g[i] = -2 * k * n + p * (2 * a2 + 4 * l * p2);
        }
        return s;
    }

    private void CheckLength(int n)
    {
        if (n != Lattice.Volume) throw new ArgumentException($"Field length {n} != V = {Lattice.Volume} for lattice {Lattice}.");
    }
}
