namespace Boltzmann.Physics.Lattice;

/// <summary>
/// A periodic two-dimensional lattice of L x T sites (rectangular shapes such as 64 x 8 are allowed).
/// Site n = (x, t) has the flat index i = x*T + t, with x the coordinate in direction mu = 0 and t the
/// coordinate in direction mu = 1; a scalar field is a flat array of V = L*T values in that order (torch
/// shape [batch, L, T]). Link variables are a flat array of 2V values indexed mu*V + i (torch [batch, 2, L, T]).
/// Neighbour tables are precomputed once per shape; hot kernels use the flat shifted-view form instead
/// (forward neighbour in t is i + 1 except at t = T - 1, forward neighbour in x is i + T except on the last row).
/// </summary>
public sealed class Lattice2D : IEquatable<Lattice2D>
{
    private readonly int[][] _forward;
    private readonly int[][] _backward;

    /// <summary>Creates an L x T periodic lattice. Both extents must be at least 2.</summary>
    public Lattice2D(int l, int t)
    {
        if (l < 2) throw new ArgumentOutOfRangeException(nameof(l), l, "Lattice extent L must be at least 2.");
        if (t < 2) throw new ArgumentOutOfRangeException(nameof(t), t, "Lattice extent T must be at least 2.");
        if ((long)l * t > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(l), "Lattice volume too large.");
        L = l;
        T = t;
        Volume = l * t;
        _forward = [new int[Volume], new int[Volume]];
        _backward = [new int[Volume], new int[Volume]];
        for (int x = 0; x < l; x++)
        {
            for (int tt = 0; tt < t; tt++)
            {
                int i = x * t + tt;
                _forward[0][i] = ((x + 1) % l) * t + tt;
                _backward[0][i] = ((x - 1 + l) % l) * t + tt;
                _forward[1][i] = x * t + (tt + 1) % t;
                _backward[1][i] = x * t + (tt - 1 + t) % t;
            }
        }
    }

    /// <summary>Extent in direction mu = 0 (the "x" or spatial direction).</summary>
    public int L { get; }

    /// <summary>Extent in direction mu = 1 (the "t" direction; contiguous in memory).</summary>
    public int T { get; }

    /// <summary>Number of sites V = L*T.</summary>
    public int Volume { get; }

    /// <summary>Number of links 2V.</summary>
    public int LinkCount => 2 * Volume;

    /// <summary>Number of elementary plaquettes (one per site in 2D).</summary>
    public int PlaquetteCount => Volume;

    /// <summary>True when both extents are even, so the checkerboard (red-black) colouring is consistent with periodicity.</summary>
    public bool HasCheckerboard => L % 2 == 0 && T % 2 == 0;

    /// <summary>A lattice that admits a checkerboard colouring; throws unless L and T are even.</summary>
    public static Lattice2D WithCheckerboard(int l, int t)
    {
        var lattice = new Lattice2D(l, t);
        if (!lattice.HasCheckerboard)
            throw new ArgumentException($"A checkerboard needs even extents, got {l} x {t}.");
        return lattice;
    }

    /// <summary>Flat index of site (x, t).</summary>
    public int Site(int x, int t) => x * T + t;

    /// <summary>Coordinate x (direction 0) of flat site i.</summary>
    public int X(int i) => i / T;

    /// <summary>Coordinate t (direction 1) of flat site i.</summary>
    public int Tcoord(int i) => i % T;

    /// <summary>Flat index of link (mu, site): mu*V + site.</summary>
    public int Link(int mu, int site) => mu * Volume + site;

    /// <summary>Forward neighbour table i -> i + e_mu for mu in {0, 1}.</summary>
    public ReadOnlySpan<int> Forward(int mu) => _forward[mu];

    /// <summary>Backward neighbour table i -> i - e_mu for mu in {0, 1}.</summary>
    public ReadOnlySpan<int> Backward(int mu) => _backward[mu];

    /// <summary>Checkerboard parity (x + t) mod 2 of site i; requires <see cref="HasCheckerboard"/>.</summary>
    public int Parity(int i)
    {
        if (!HasCheckerboard) throw new InvalidOperationException($"Lattice {L} x {T} has no checkerboard (odd extent).");
        return (X(i) + Tcoord(i)) & 1;
    }

    /// <summary>
    /// The four links of the plaquette at site n in the order of Foreman et al. (2021) eq. 3:
    /// x_P(n) = x_0(n) + x_1(n + e0) - x_0(n + e1) - x_1(n). Returns flat link indices.
    /// </summary>
    public (int Link0N, int Link1NPlusE0, int Link0NPlusE1, int Link1N) PlaquetteLinks(int n)
        => (n, Volume + _forward[0][n], _forward[1][n], Volume + n);

    public override string ToString() => $"{L}x{T}";

    public bool Equals(Lattice2D? other) => other is not null && other.L == L && other.T == T;

    public override bool Equals(object? obj) => Equals(obj as Lattice2D);

    public override int GetHashCode() => HashCode.Combine(L, T);
}
