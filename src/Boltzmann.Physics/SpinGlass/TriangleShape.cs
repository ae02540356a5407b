namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// Shape of the triangle formed by three states with Hamming-type distances d = (1 - q)/2 (Hartnett &amp; Mohseni
/// 2020, section 4.5; Mezard et al. PRL 52, 1156 (1984)). In an ultrametric space, d_ac &lt;= max(d_ab, d_bc) for
/// every triple, so every triangle is equilateral or acute isosceles (the two longest sides equal).
/// </summary>
public enum TriangleShape
{
    /// <summary>All three sides equal within the tolerance: d_max - d_min &lt;= tol.</summary>
    Equilateral,
    /// <summary>Isosceles but not equilateral, with the two LONGEST sides equal (d_max - d_mid &lt;= tol &lt; d_mid - d_min): allowed by ultrametricity.</summary>
    AcuteIsosceles,
    /// <summary>Every other triangle (scalene, or isosceles with the two shortest sides equal): violates ultrametricity.</summary>
    Other,
}
