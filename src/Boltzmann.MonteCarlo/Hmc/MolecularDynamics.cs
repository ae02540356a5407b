using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Boltzmann.Physics.Actions;

namespace Boltzmann.MonteCarlo.Hmc;

/// <summary>
/// Reversible, area-preserving integration of Hamilton's equations dx/dt = p, dp/dt = -dS/dx for
/// H = S(x) + p^2/2. Generic over the action type so a sealed action is called without interface dispatch;
/// all vector updates are allocation-free SIMD loops.
/// </summary>
public static class MolecularDynamics
{
    /// <summary>
    /// Integrates one trajectory of <paramref name="steps"/> steps of size <paramref name="eps"/> in place.
    /// On entry <paramref name="gradient"/> must hold dS/dx at <paramref name="x"/>; on exit it holds dS/dx at the
    /// final x. Returns S at the final x.
    /// </summary>
    public static double Integrate<TAction>(TAction action, Span<double> x, Span<double> p, Span<double> gradient,
        double eps, int steps, HmcIntegrator integrator, bool compact)
        where TAction : IContinuousAction
    {
        double s = double.NaN;
        if (integrator == HmcIntegrator.Leapfrog)
        {
            // Foreman et al. (2021) app. A.2: v^{1/2} = v - eps/2 dS(x); x' = x + eps v^{1/2}; v' = v^{1/2} - eps/2 dS(x');
            // consecutive half kicks of neighbouring steps merged into one full kick.
            Axpy(-0.5 * eps, gradient, p);
            for (int k = 0; k < steps; k++)
            {
                Drift(x, p, eps, compact);
                s = action.ActionAndGradient(x, gradient);
                Axpy(k == steps - 1 ? -0.5 * eps : -eps, gradient, p);
            }
        }
        else
        {
            // Omelyan 2MN: kick lambda eps, drift eps/2, kick (1 - 2 lambda) eps, drift eps/2, kick lambda eps;
            // the closing lambda kick of one step and the opening one of the next merged into 2 lambda eps.
            const double lam = HmcOptions.OmelyanLambda;
            Axpy(-lam * eps, gradient, p);
            for (int k = 0; k < steps; k++)
            {
                Drift(x, p, 0.5 * eps, compact);
                action.ActionAndGradient(x, gradient);
                Axpy(-(1 - 2 * lam) * eps, gradient, p);
                Drift(x, p, 0.5 * eps, compact);
                s = action.ActionAndGradient(x, gradient);
                Axpy(k == steps - 1 ? -lam * eps : -2 * lam * eps, gradient, p);
            }
        }
        return s;
    }

    /// <summary>Kinetic energy p^2/2.</summary>
    public static double Kinetic(ReadOnlySpan<double> p)
    {
        ref double rp = ref MemoryMarshal.GetReference(p);
        int n = p.Length, w = Vector<double>.Count, i = 0;
        var acc = Vector<double>.Zero;
        for (; i <= n - w; i += w)
        {
            var v = Vector.LoadUnsafe(ref rp, (nuint)i);
            acc += v * v;
        }
        double s = Vector.Sum(acc);
        for (; i < n; i++) s += p[i] * p[i];
        return 0.5 * s;
    }

    /// <summary>y += a x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double ry = ref MemoryMarshal.GetReference(y);
        int n = y.Length, w = Vector<double>.Count, i = 0;
        var va = new Vector<double>(a);
        for (; i <= n - w; i += w)
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref ry, (nuint)i) + va * Vector.LoadUnsafe(ref rx, (nuint)i), ref ry, (nuint)i);
        for (; i < n; i++) y[i] += a * x[i];
    }

    /// <summary>x += eps p, then (compact) x -> x - 2pi ceil((x - pi)/2pi), i.e. into (-pi, pi].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Drift(Span<double> x, ReadOnlySpan<double> p, double eps, bool compact)
    {
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double rp = ref MemoryMarshal.GetReference(p);
        int n = x.Length, w = Vector<double>.Count, i = 0;
        var ve = new Vector<double>(eps);
        if (compact)
        {
            var pi = new Vector<double>(Math.PI);
            var twoPi = new Vector<double>(2 * Math.PI);
            var inv = new Vector<double>(1 / (2 * Math.PI));
            for (; i <= n - w; i += w)
            {
                var v = Vector.LoadUnsafe(ref rx, (nuint)i) + ve * Vector.LoadUnsafe(ref rp, (nuint)i);
                v -= twoPi * Vector.Ceiling((v - pi) * inv);
                Vector.StoreUnsafe(v, ref rx, (nuint)i);
            }
            for (; i < n; i++)
            {
                double v = x[i] + eps * p[i];
                x[i] = v - 2 * Math.PI * Math.Ceiling((v - Math.PI) * (1 / (2 * Math.PI)));
            }
        }
        else
        {
            for (; i <= n - w; i += w)
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref rx, (nuint)i) + ve * Vector.LoadUnsafe(ref rp, (nuint)i), ref rx, (nuint)i);
            for (; i < n; i++) x[i] += eps * p[i];
        }
    }
}
