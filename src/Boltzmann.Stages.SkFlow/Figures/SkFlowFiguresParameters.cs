using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.SkFlow.Figures;

/// <summary>
/// Parameters of <see cref="SkFlowFiguresStage"/>: the instance drawn in the single-instance figures (4-7), the
/// temperatures of the P(q) panels (Fig. 4 and the low/mid/high panels of Fig. 6; default: lowest, middle and highest
/// flow temperature), at most how many q bins to draw, and at most how many loss points per curve.
/// </summary>
public sealed record SkFlowFiguresParameters(int Instance, double[]? OverlapTemperatures, int OverlapBins, int LossPoints)
{
    internal static SkFlowFiguresParameters Read(ParameterReader r) => new(
        r.Int("instance", 0, min: 0),
        r.OptionalDoubleList("overlap_temperatures", greaterThan: 0),
        r.Int("overlap_bins", 64, min: 2),
        r.Int("loss_points", 400, min: 2));
}
