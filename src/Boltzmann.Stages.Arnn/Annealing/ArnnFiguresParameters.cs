namespace Boltzmann.Stages.Arnn.Annealing;

/// <summary>
/// Parameters of <see cref="ArnnFiguresStage"/>: the sizes shown in panels A1-A3 (default: smallest, middle and largest
/// of the run), the inverse temperature of the P(q) panels (default 1.3 for Curie-Weiss, Fig. 4C; 1.5 for SK, Fig. 5C/D),
/// the sizes at which Fig. 5B evaluates the parameter-count formulas, and at most how many q bins a histogram shows.
/// </summary>
public sealed record ArnnFiguresParameters(double[] PanelSizes, double? OverlapBeta, double[] ParameterSizes, int OverlapBins);
