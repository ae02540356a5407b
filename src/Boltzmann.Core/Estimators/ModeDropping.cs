using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// The mode-dropping estimator of Nicoli et al. (PRD 108, 114501 (2023); Nicoli 2024 talk, "The mode-dropping
/// estimator"): w-bar = Z^_q / Z^_p, the ratio of the q-estimator (samples of q) and the p-estimator (samples of p)
/// of the partition function. If q covers the support of p, w-bar = 1; if q effectively misses a set S of
/// configurations, the q-estimator only sees p's mass outside S and w-bar -&gt; 1 - p(S) &lt; 1.
/// </summary>
public static class ModeDropping
{
    /// <summary>
    /// w-bar = exp(ln Z^_q - ln Z^_p) with both ln Z bias-corrected; error w-bar sqrt(se_q^2 + se_p^2) (the two
    /// sample sets are independent). TauInt is not meaningful for the combination (NaN); Count is N_q + N_p.
    /// </summary>
    public static Estimate MeanNormalizedWeight(
        ReadOnlySpan<double> modelLogTarget,
        ReadOnlySpan<double> modelLogQ,
        ReadOnlySpan<double> targetLogTarget,
        ReadOnlySpan<double> targetLogQ,
        SampleDependence targetDependence = SampleDependence.MarkovChain)
    {
        var fromQ = NeuralImportanceSampling.LnZ(modelLogTarget, modelLogQ);
        var fromP = NeuralImportanceSampling.LnZFromTargetSamples(targetLogTarget, targetLogQ, targetDependence);
        double w = Math.Exp(fromQ.BiasCorrected - fromP.BiasCorrected);
        double se = w * VariationalFreeEnergy.Hypot(fromQ.StdError, fromP.StdError);
        return new Estimate(w, se, double.NaN, double.NaN, fromQ.Count + fromP.Count);
    }
}
