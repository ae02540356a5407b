namespace Boltzmann.Flows.Lattice;

/// <summary>
/// The lattice shapes the checkerboard coupling flow can take: an L x T torus with both sides even (so the
/// checkerboard parity (x + t) mod 2 is consistent across the periodic boundary, Albergo, Kanwar &amp; Shanahan,
/// PRD 100, 034515 (2019), Sec. IV) and at least as long as the conv kernel (circular padding of k/2 sites
/// wraps around at most once). Every check names the shape and what is allowed.
/// </summary>
public static class LatticeShape
{
    /// <summary>Null when [L, T] with kernel <paramref name="kernel"/> is allowed, else why not.</summary>
    public static string? Problem(long l, long t, int kernel)
    {
        if (kernel < 1 || kernel % 2 == 0) return $"kernel size {kernel} is not allowed; must be odd and >= 1 (a centred stencil)";
        if (l < 2 || t < 2) return $"lattice {l} x {t} is too small; both sides must be >= 2";
        if (l % 2 != 0 || t % 2 != 0)
            return $"lattice {l} x {t} has an odd side; the checkerboard (x + t) mod 2 is only consistent on a torus with both sides even";
        if (kernel / 2 > Math.Min(l, t))
            return $"kernel {kernel} needs {kernel / 2} sites of circular padding but the lattice {l} x {t} has a side of {Math.Min(l, t)}";
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with <see cref="Problem"/> when the shape is not allowed.</summary>
    public static void Require(long[] eventShape, int kernel, string where)
    {
        ArgumentNullException.ThrowIfNull(eventShape);
        if (eventShape.Length != 2)
            throw new ArgumentException($"{where}: lattice flows act on events [L, T]; got event shape [{string.Join(", ", eventShape)}].", nameof(eventShape));
        if (Problem(eventShape[0], eventShape[1], kernel) is string why)
            throw new ArgumentException($"{where}: {why}.", nameof(eventShape));
    }

    /// <summary>Throws unless <paramref name="eventShape"/> is [L, T] with both sides ≥ 1 (layers that take any torus).</summary>
    public static long[] RequireTorus(long[] eventShape, string where)
    {
        ArgumentNullException.ThrowIfNull(eventShape);
        if (eventShape.Length != 2 || eventShape[0] < 1 || eventShape[1] < 1)
            throw new ArgumentException($"{where}: this layer acts on events [L, T]; got [{string.Join(", ", eventShape)}].", nameof(eventShape));
        return (long[])eventShape.Clone();
    }

    /// <summary>The checkerboard mask m(x, t) = 1 if (x + t) mod 2 == parity, as doubles in site order x*T + t.</summary>
    public static double[] Checkerboard(long l, long t, int parity)
    {
        var m = new double[l * t];
        for (long x = 0; x < l; x++)
            for (long y = 0; y < t; y++)
                m[x * t + y] = (x + y) % 2 == parity ? 1.0 : 0.0;
        return m;
    }
}
