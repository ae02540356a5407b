namespace Boltzmann.Physics.Lattice;

/// <summary>
/// Per-configuration observables of lattice phi^4 (hopping form, Nicoli et al. 2021). Ensemble quantities are
/// built from these: m = M/V, &lt;|m|&gt;, chi = V (&lt;m^2&gt; - &lt;|m|&gt;^2), Binder U = 1 - &lt;m^4&gt;/(3 &lt;m^2&gt;^2),
/// action density S/V, and the zero-momentum time-slice correlator from <see cref="TimeSliceSums"/>.
/// </summary>
public static class Phi4Observables
{
    /// <summary>Magnetisation M = sum_x phi(x).</summary>
    public static double Magnetisation(ReadOnlySpan<double> phi)
    {
        double s = 0;
        foreach (double p in phi) s += p;
        return s;
    }

    /// <summary>
    /// Hopping term H = sum_x sum_mu phi(x) phi(x+mu), so S = -2 kappa H + sum_x [(1-2 lambda) phi^2 + lambda phi^4]
    /// and d ln Z / d kappa = 2 &lt;H&gt; (the thermodynamic-integration integrand).
    /// </summary>
    public static double HoppingSum(Lattice2D lattice, ReadOnlySpan<double> phi)
    {
        if (phi.Length != lattice.Volume) throw new ArgumentException("Field length must be V.", nameof(phi));
        int l = lattice.L, t = lattice.T;
        double h = 0;
        for (int x = 0; x < l; x++)
        {
            int row = x * t, next = x == l - 1 ? 0 : row + t;
            for (int tt = 0; tt < t; tt++)
            {
                double p = phi[row + tt];
                h += p * (phi[next + tt] + phi[row + (tt == t - 1 ? 0 : tt + 1)]);
            }
        }
        return h;
    }

    /// <summary>
    /// Zero-momentum time slices: sums[t] = sum_x phi(x, t) (length T). The connected correlator
    /// C(tau) = (1/T) sum_t &lt;sums[t] sums[t+tau]&gt;/L - L &lt;m&gt;^2 follows from ensemble averages of products.
    /// </summary>
    public static void TimeSliceSums(Lattice2D lattice, ReadOnlySpan<double> phi, Span<double> sums)
    {
        if (phi.Length != lattice.Volume || sums.Length != lattice.T) throw new ArgumentException("Need a field of length V and T slice sums.");
        sums.Clear();
        int t = lattice.T;
        for (int row = 0; row < phi.Length; row += t)
            LatticeShift.Add(sums, phi.Slice(row, t), sums);
    }

    /// <summary>
    /// Translation-averaged two-point function G(y) = (1/V) sum_x phi(x) phi(x+y) for every displacement y
    /// (flat index y = y0*T + y1; O(V^2), for analysis, not for the sampling loop). Its ensemble average minus
    /// &lt;m&gt;^2 is the connected two-point function.
    /// </summary>
    public static void TwoPoint(Lattice2D lattice, ReadOnlySpan<double> phi, Span<double> g)
    {
        int l = lattice.L, t = lattice.T, v = lattice.Volume;
        if (phi.Length != v || g.Length != v) throw new ArgumentException("Need a field and an output of length V.");
        for (int y0 = 0; y0 < l; y0++)
        {
            for (int y1 = 0; y1 < t; y1++)
            {
                double s = 0;
                for (int x0 = 0; x0 < l; x0++)
                {
                    int row = x0 * t, shifted = ((x0 + y0) % l) * t;
                    for (int x1 = 0; x1 < t; x1++) s += phi[row + x1] * phi[shifted + (x1 + y1) % t];
                }
                g[y0 * t + y1] = s / v;
            }
        }
    }
    /// <summary>
    /// Translation-averaged two-point function along the two lattice axes, gx[r] = (1/V) sum_x phi(x0, x1) phi(x0+r, x1)
    /// (r = 0..L-1) and gt[r] = (1/V) sum_x phi(x0, x1) phi(x0, x1+r) (r = 0..T-1): O(V (L + T)), cheap enough for
    /// every stored configuration (the full <see cref="TwoPoint"/> is O(V^2)). gx[0] = gt[0] = (1/V) sum_x phi^2.
    /// </summary>
    public static void AxisTwoPoint(Lattice2D lattice, ReadOnlySpan<double> phi, Span<double> gx, Span<double> gt)
    {
        int l = lattice.L, t = lattice.T, v = lattice.Volume;
        if (phi.Length != v || gx.Length != l || gt.Length != t) throw new ArgumentException("Need a field of length V, L values along x and T along t.");
        for (int r = 0; r < l; r++)
        {
            double s = 0;
            for (int x0 = 0; x0 < l; x0++)
            {
                var a = phi.Slice(x0 * t, t);
                var b = phi.Slice(((x0 + r) % l) * t, t);
                for (int x1 = 0; x1 < t; x1++) s += a[x1] * b[x1];
            }
            gx[r] = s / v;
        }
        for (int r = 0; r < t; r++)
        {
            double s = 0;
            for (int x0 = 0; x0 < l; x0++)
            {
                var a = phi.Slice(x0 * t, t);
                for (int x1 = 0; x1 < t; x1++) s += a[x1] * a[(x1 + r) % t];
            }
            gt[r] = s / v;
        }
    }
}
