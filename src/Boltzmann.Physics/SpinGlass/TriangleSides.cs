namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// The three sides of the triangle between states a, b, c, sorted: <paramref name="DMin"/> &lt;= <paramref name="DMid"/>
/// &lt;= <paramref name="DMax"/>, with d_ab = (1 - q_ab)/2 (Hartnett &amp; Mohseni 2020, section 4.5), i.e. the Hamming
/// distance divided by N for the signed overlap.
/// <para>
/// Plane of Fig. 5 and Fig. 7: <see cref="X"/> = d_mid - d_min and <see cref="Y"/> = d_max - d_mid. With these axes the
/// caption holds: an equilateral triangle (all sides equal) sits at the origin, an acute isosceles triangle
/// (d_min &lt; d_mid = d_max, the ultrametric case) lies on the x-axis, and triangles violating ultrametricity
/// (obtuse isosceles d_min = d_mid &lt; d_max, or scalene) have y &gt; 0.
/// </para>
/// </summary>
public readonly record struct TriangleSides(double DMin, double DMid, double DMax)
{
    /// <summary>x = d_mid - d_min (distance of the isosceles cluster from the origin).</summary>
    public double X => DMid - DMin;

    /// <summary>y = d_max - d_mid (0 for ultrametric triangles).</summary>
    public double Y => DMax - DMid;

    /// <summary>Sorts three distances.</summary>
    public static TriangleSides FromDistances(double dab, double dac, double dbc)
    {
        // Sort by swaps (no arithmetic), so equal sides stay exactly equal.
        if (dab > dac) (dab, dac) = (dac, dab);
        if (dac > dbc) (dac, dbc) = (dbc, dac);
        if (dab > dac) (dab, dac) = (dac, dab);
        return new TriangleSides(dab, dac, dbc);
    }

    /// <summary>
    /// From the three overlaps. With <paramref name="absoluteOverlap"/>, d = (1 - |q|)/2: the distance between
    /// the states up to a global spin flip. Without a field the SK measure is Z2-symmetric, and a state and its
    /// mirror image turn an equilateral triangle of the q &gt; 0 sector into an acute isosceles one; |q| removes this
    /// degeneracy, so that the Parisi prediction (1/4 equilateral, 3/4 acute isosceles) applies. Signed q is the
    /// paper's formula literally.
    /// </summary>
    public static TriangleSides FromOverlaps(double qab, double qac, double qbc, bool absoluteOverlap)
    {
        if (absoluteOverlap) { qab = Math.Abs(qab); qac = Math.Abs(qac); qbc = Math.Abs(qbc); }
        return FromDistances(0.5 * (1 - qab), 0.5 * (1 - qac), 0.5 * (1 - qbc));
    }

    /// <summary>
    /// Classification with tolerance <paramref name="tolerance"/> (same units as d): equilateral if
    /// d_max - d_min &lt;= tol; acute isosceles if d_max - d_mid &lt;= tol (and not equilateral); otherwise other.
    /// </summary>
    public TriangleShape Classify(double tolerance)
    {
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "Tolerance must be finite and >= 0.");
        // A tiny slack absorbs rounding of (1 - q)/2 for distances that are equal as integers k/N.
        double tol = tolerance + 1e-12;
        if (DMax - DMin <= tol) return TriangleShape.Equilateral;
        if (DMax - DMid <= tol) return TriangleShape.AcuteIsosceles;
        return TriangleShape.Other;
    }
}
