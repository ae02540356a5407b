namespace Boltzmann.Stages.Sk.Figures;

/// <summary>
/// Parameters of <see cref="SkPtFiguresStage"/>: which instance to draw, at which temperatures to draw P(q),
/// and at most how many q bins to show (adjacent overlap values are merged beyond that; 0 = every value).
/// </summary>
public sealed record SkPtFiguresParameters(int Instance, double[]? OverlapTemperatures, int OverlapBins);
