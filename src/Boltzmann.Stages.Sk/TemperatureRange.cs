namespace Boltzmann.Stages.Sk;

/// <summary>
/// The temperatures the SK stages accept, in units of the coupling scale J. Below <see cref="Min"/> the
/// computation leaves double precision: the exact specific heat is beta^2 Var(E) / N, and at T = 1e-300 the
/// Boltzmann weights of every excited state underflow to 0 while beta^2 overflows, so C becomes 0 * inf = NaN
/// (a point a figure would silently drop). 1e-3 .. 1e3 keeps beta^2 below 1e6 and every estimate finite
/// (SkTemperatureRangeTests checks both ends against exact enumeration); it spans every physically useful
/// SK temperature (T_c = J) by three decades either way.
/// </summary>
public static class TemperatureRange
{
    /// <summary>Smallest accepted temperature.</summary>
    public const double Min = 1e-3;

    /// <summary>Largest accepted temperature.</summary>
    public const double Max = 1e3;
}
