namespace Boltzmann.Stages.NeuralRg.Figures;

/// <summary>Parameters of <see cref="NeuralRgFiguresStage"/>: the largest number of loss rows drawn per curve (thinned evenly).</summary>
public sealed record NeuralRgFiguresParameters(int MaxCurvePoints);
