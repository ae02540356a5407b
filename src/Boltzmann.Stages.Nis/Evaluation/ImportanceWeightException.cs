namespace Boltzmann.Stages.Nis.Evaluation;

/// <summary>
/// A trained flow whose importance weights cannot be used: some ln q or ln p~ is not finite, or every weight is zero.
/// The message names the stage, kappa and the flow's training step, so no NaN reaches a table or figure.
/// </summary>
public sealed class ImportanceWeightException(string message) : Exception(message)
{
    /// <summary>Throws when some ln q is not finite or some ln p~ is NaN/+inf, or when every log weight ln p~ − ln q is −inf.</summary>
    public static void ThrowIfUnusable(string stage, double kappa, long step, string samples, ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ)
    {
        bool any = false;
        for (int i = 0; i < logQ.Length; i++)
        {
            if (!double.IsFinite(logQ[i]) || double.IsNaN(logTarget[i]) || double.IsPositiveInfinity(logTarget[i]))
                throw new ImportanceWeightException(
                    $"{stage}: the flow at kappa = {kappa:R} (trained {step} steps) gives a non-finite {(double.IsFinite(logQ[i]) ? "ln p~" : "ln q")} " +
                    $"= {(double.IsFinite(logQ[i]) ? logTarget[i] : logQ[i])} at {samples} sample {i}; its importance weights are unusable");
            any |= double.IsFinite(logTarget[i]);
        }
        if (!any)
            throw new ImportanceWeightException(
                $"{stage}: every importance weight of the flow at kappa = {kappa:R} (trained {step} steps) on its {logQ.Length} {samples} samples is zero");
    }
}
