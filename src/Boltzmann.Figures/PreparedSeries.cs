namespace Boltzmann.Figures;

/// <summary>
/// One series of a panel in plot coordinates (log10 already applied on log axes), sorted by x.
/// Error bars are asymmetric after a log transform, hence separate lower and upper lengths.
/// </summary>
internal sealed record PreparedSeries(
    string Name,
    ScottPlot.Color Color,
    double[] X,
    double[] Y,
    double[] ErrorBelow,
    double[] ErrorAbove,
    bool HasErrors);
