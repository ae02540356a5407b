using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// Result of <see cref="UltrametricTriangles.Analyze"/>: the triangles (sorted sides, for the Fig. 5/7 plane
/// x = d_mid - d_min, y = d_max - d_mid) and the fractions of equilateral, acute isosceles and other triangles.
/// The fractions' errors are binomial, sqrt(f (1 - f) / T), since the T triangles use disjoint triples of states.
/// </summary>
/// <param name="Triangles">Every triangle formed (T of them).</param>
/// <param name="Equilateral">Fraction of equilateral triangles.</param>
/// <param name="AcuteIsosceles">Fraction of acute isosceles (not equilateral) triangles.</param>
/// <param name="Other">Fraction of triangles violating ultrametricity.</param>
/// <param name="StatesUsed">Low-energy states kept (before forming triples).</param>
/// <param name="Tolerance">The classification tolerance in units of d.</param>
/// <param name="AbsoluteOverlap">Whether d = (1 - |q|)/2 (true) or (1 - q)/2.</param>
public sealed record TriangleStatistics(
    IReadOnlyList<TriangleSides> Triangles,
    Estimate Equilateral,
    Estimate AcuteIsosceles,
    Estimate Other,
    int StatesUsed,
    double Tolerance,
    bool AbsoluteOverlap)
{
    public int Count => Triangles.Count;
}
