using Boltzmann.Estimators;
using Boltzmann.Random;
using Boltzmann.Statistics;

namespace Boltzmann.Stages.Nis.Evaluation;

/// <summary>
/// Every NIS estimate of one flow at one kappa (Nicoli et al. PRL 126, 032001 (2021); PRD 108, 114501 (2023);
/// Nicoli 2024 talk), from per-sample arrays only:
/// <list type="bullet">
/// <item>F_q/V = −ln Ẑ_q/V from N samples of q, Ẑ_q = mean(p~/q), with delta-method error and the O(1/N) bias
/// +Var(w~)/(2 N w̄²)/V (Theorem 3: F_q overestimates F); F_p/V = ln(mean(q/p~))/V from HMC samples of p
/// (tau_int-corrected error; bias −σ²/2/V: F_p underestimates F, Theorem 4). Both reported bias-corrected.</item>
/// <item>Reverse ESS/N (samples of q) and forward ESS/N = 1/(E_p[w~] E_p[1/w~]) (samples of p).</item>
/// <item>The mode-dropping estimator ŵ = Ẑ_q/Ẑ_p with its error (≈ 1 if q covers p, ≈ 1/2 if q lost one of two modes).</item>
/// <item>Neural MCMC (independence Metropolis with q as proposal): acceptance and tau_int of |m|.</item>
/// <item>Reweighted &lt;|m|&gt;, S/V (self-normalised IS) and chi = V(&lt;m²&gt; − &lt;|m|&gt;²) (blocked jackknife).</item>
/// </list>
/// </summary>
public static class Phi4NisEstimates
{
    public sealed record Result(
        FreeEnergyEstimate Fq, FreeEnergyEstimate? Fp, Estimate EssReverse, Estimate? EssForward, Estimate? WHat,
        Estimate NmcmcAcceptance, Estimate NmcmcAbsM, Estimate AbsM, Estimate Chi, Estimate ActionDensity);

    /// <param name="absM">|m| = |Σφ|/V per flow sample.</param>
    /// <param name="m2">m² per flow sample.</param>
    /// <param name="action">S per flow sample (= −ln p~).</param>
    public static Result Compute(double[] logTarget, double[] logQ, double[] absM, double[] m2, double volume,
                                 double[]? targetLogTarget, double[]? targetLogQ, RandomStream mcmcStream)
    {
        var fq = NeuralImportanceSampling.FreeEnergy(logTarget, logQ, beta: 1);
        var essReverse = EffectiveSampleSize.Reverse(logTarget, logQ);
        FreeEnergyEstimate? fp = null;
        Estimate? essForward = null, wHat = null;
        if (targetLogTarget is not null && targetLogQ is not null)
        {
            fp = NeuralImportanceSampling.FreeEnergyFromTargetSamples(targetLogTarget, targetLogQ, beta: 1);
            essForward = EffectiveSampleSize.Forward(targetLogTarget, targetLogQ);
            wHat = ModeDropping.MeanNormalizedWeight(logTarget, logQ, targetLogTarget, targetLogQ);
        }
        var chain = new NeuralMcmcChain(mcmcStream, observableCount: 1);
        chain.Feed(logTarget, logQ, absM);
        var nmcmc = chain.Summarize();

        var action = logTarget.Select(v => -v / volume).ToArray();
        var absMean = ImportanceWeightedObservable.Mean(logTarget, logQ, absM);
        var actionDensity = ImportanceWeightedObservable.Mean(logTarget, logQ, action);
        // chi by the blocked jackknife of the ratio estimators: columns w, w|m|, w m² with w = exp(ln w~ − max).
        var lw = ImportanceWeights.LogWeights(logTarget, logQ);
        double max = ImportanceWeights.Max(lw);
        var w = lw.Select(v => Math.Exp(v - max)).ToArray();
        var wAbs = w.Select((v, i) => v * absM[i]).ToArray();
        var wM2 = w.Select((v, i) => v * m2[i]).ToArray();
        var chi = Jackknife.Estimate([w, wAbs, wM2], x => volume * (x[2] / x[0] - x[1] / x[0] * (x[1] / x[0])), blocks: Math.Min(32, logQ.Length / 2));
        return new Result(Scale(fq, volume), fp is { } f ? Scale(f, volume) : null, essReverse, essForward, wHat,
                          nmcmc.AcceptanceRate, nmcmc.Observables[0], absMean, chi, actionDensity);
    }

    /// <summary>F/V: value, error and bias divided by the volume.</summary>
    private static FreeEnergyEstimate Scale(FreeEnergyEstimate f, double volume) =>
        f with { Value = f.Value / volume, StdError = f.StdError / volume, Bias = f.Bias / volume };
}
