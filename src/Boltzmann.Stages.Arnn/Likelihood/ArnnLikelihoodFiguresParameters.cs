namespace Boltzmann.Stages.Arnn.Likelihood;

/// <summary>Parameters of <see cref="ArnnLikelihoodFiguresStage"/>: the number of points of the drawn fit line (at least 2).</summary>
public sealed record ArnnLikelihoodFiguresParameters(int FitPoints);
