using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.Nis.Evaluation;

/// <summary>
/// Parameters of <see cref="Phi4NisEvaluateStage"/>: N flow samples per kappa (drawn in batches) and whether the HMC
/// samples of p are augmented by their mirrors −φ (exact symmetry of p; keeps the p-estimators honest when the HMC
/// chains do not tunnel between the vacua).
/// </summary>
public sealed record Phi4NisEvaluateParameters(int Samples, int Batch, bool AugmentZ2)
{
    public static Phi4NisEvaluateParameters Read(ParameterReader r) => new(
        r.Int("samples", 20000, min: 64),
        r.Int("batch", 2048, min: 2),
        r.Bool("augment_z2", true));
}
