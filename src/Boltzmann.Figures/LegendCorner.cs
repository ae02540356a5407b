namespace Boltzmann.Figures;

/// <summary>A corner of a panel's data area.</summary>
public enum LegendCorner
{
    UpperRight,
    UpperLeft,
    LowerRight,
    LowerLeft,
}
