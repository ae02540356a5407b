using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.Nis.Evaluation;

/// <summary>
/// Parameters of <see cref="Phi4NisEvaluateStage"/>: N flow samples per kappa (drawn in batches) and whether the HMC
/// samples of p are augmented by their mirrors −φ (exact symmetry of p; keeps the p-estimators honest when the HMC
/// chains do not tunnel between the vacua), and whether the estimators use the flow's Z2-symmetrised density
/// q_sym(φ) = (q(φ) + q(−φ))/2 (<c>symmetrize</c>; samples of q_sym are those of q with the global sign flipped with
/// probability 1/2): a plain flow that keeps one vacuum then covers both. With <c>hold_out</c> (default) the
/// p-estimators use only the held-out half of the HMC chains, never seen by forward-KL training.
/// </summary>
public sealed record Phi4NisEvaluateParameters(int Samples, int Batch, bool AugmentZ2, bool Symmetrize = false, bool HoldOut = true)
{
    public static Phi4NisEvaluateParameters Read(ParameterReader r) => new(
        r.Int("samples", 20000, min: 64),
        r.Int("batch", 2048, min: 2),
        r.Bool("augment_z2", true),
        r.Bool("symmetrize", false),
        r.Bool("hold_out", true));
}
