using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.SkFlow.Evaluation;

/// <summary>
/// Parameters of <see cref="SkFlowEvaluateStage"/>.
/// </summary>
/// <param name="Samples">M fresh flow samples per trained flow for every estimator.</param>
/// <param name="Batch">Flow samples per tensor batch (even, so P(q) pairs stay inside a batch).</param>
/// <param name="PtSamples">At most this many PT samples per (instance, temperature, chain), evenly thinned.</param>
/// <param name="LayerSamples">Samples of every partial flow G^(l), l = 0..L, for the layer-wise analysis (0 = skip).</param>
/// <param name="SymmetrizeReverse">Evaluate reverse-KL flows' densities as q_sym(x) = (q(x) + q(-x))/2, the model their loss used (paper appendix A.1).</param>
/// <param name="Blocks">Blocks for the errors of P(q) and the site magnetisations.</param>
/// <param name="TvBins">At most this many q bins for the total-variation mode-collapse score (adjacent q values merged).</param>
/// <param name="LowEnergyFraction">Fraction of lowest-energy states kept for triangles.</param>
/// <param name="TriangleTolerance">Classification tolerance in units of d = (1 - q)/2.</param>
/// <param name="TriangleOverlap">"absolute": d = (1 - |q|)/2 (default, removes the spin-flip degeneracy); "signed": d = (1 - q)/2.</param>
/// <param name="TriangleTemperature">Temperature of the triangle analysis (null: the lowest flow temperature of each instance; the paper uses 0.2).</param>
/// <param name="TrianglePoints">At most this many (x, y) triangle points written per (source, layer).</param>
public sealed record SkFlowEvaluateParameters(
    int Samples,
    int Batch,
    int PtSamples,
    int LayerSamples,
    bool SymmetrizeReverse,
    int Blocks,
    int TvBins,
    double LowEnergyFraction,
    double TriangleTolerance,
    string TriangleOverlap,
    double? TriangleTemperature,
    int TrianglePoints)
{
    public static readonly string[] OverlapChoices = ["absolute", "signed"];

    internal static SkFlowEvaluateParameters Read(ParameterReader r)
    {
        int samples = r.Int("samples", 20_000, min: 64);
        int batch = r.Int("batch", 1000, min: 2, max: 1_000_000);
        if (batch % 2 != 0) r.Error("batch", $"value {batch} is not allowed; must be even (P(q) pairs samples 2k, 2k+1 of a batch)");
        int pt = r.Int("pt_samples", 10_000, min: 64);
        int layer = r.Int("layer_samples", 4000, min: 0);
        if (layer is > 0 and < 64) r.Error("layer_samples", $"value {layer} is not allowed; must be 0 (skip) or >= 64");
        bool sym = r.Bool("symmetrize_reverse", true);
        int blocks = r.Int("blocks", 32, min: 2, max: 10_000);
        int tvBins = r.Int("tv_bins", 32, min: 2);
        double frac = r.Double("low_energy_fraction", 0.25, greaterThan: 0, max: 1);
        double tol = r.Double("triangle_tolerance", 0.02, min: 0, max: 0.5);
        string overlap = r.String("triangle_overlap", "absolute", OverlapChoices);
        double? tt = r.OptionalDouble("triangle_temperature", greaterThan: 0);
        int points = r.Int("triangle_points", 3000, min: 1);
        if (samples < 2 * blocks) r.Error("samples", $"value {samples} is too small for blocks = {blocks}; must be >= 2 * blocks");
        return new SkFlowEvaluateParameters(samples, batch, pt, layer, sym, blocks, tvBins, frac, tol, overlap, tt, points);
    }
}
