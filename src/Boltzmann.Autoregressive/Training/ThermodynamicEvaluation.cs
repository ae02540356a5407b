using Boltzmann.Estimators;
using Boltzmann.Learning.Targets;
using Boltzmann.Statistics;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// Neural importance sampling of the thermodynamics of a spin model (Nicoli et al., "Asymptotically unbiased estimation
/// of physical observables with neural samplers", PRE 101, 023304 (2020), arXiv:1910.13496, eqs. for F, U and C):
/// from S independent ancestral draws (<see cref="ModelEvaluation.Draw"/>), the raw variational estimates of VAN (Wu,
/// Wang &amp; Zhang 2019) — F[Q] and the plain averages of H and H² over Q — next to the importance-weighted ones with
/// w~ = e^{−βH}/q: F = −ln(mean w~)/β (bias-corrected), E = Σ w~ H/Σ w~ and C = β² Var_p(H)/N, all per spin. With zero
/// field (Z2 symmetry) the NIS values use the symmetrised proposal q_sym(x) = (Q(x) + Q(−x))/2, so a network that
/// collapsed onto one of the two ordered states below T_c still gives an unbiased F (raw NIS would be ln 2/(βN) high);
/// E and C are even in x and unaffected. The generic estimators of <c>Boltzmann.Estimators</c> do the statistics.
/// </summary>
public static class ThermodynamicEvaluation
{
    /// <param name="energy">The β = 1 Boltzmann target, ln p~_1 = −H.</param>
    /// <param name="z2Symmetric">Whether H(−x) = H(x): then NIS uses q_sym.</param>
    public static ThermodynamicEstimates Evaluate(
        AutoregressiveModel model, ITarget energy, bool z2Symmetric, double beta, int samples, Generator generator,
        int chunk = ModelEvaluation.DefaultChunk)
    {
        var d = ModelEvaluation.Draw(model, energy, z2Symmetric, beta, samples, generator, null, chunk);
        int n = model.N;
        var perSpin = d.Energies.Select(e => e / n).ToArray();

        var gibbs = VariationalFreeEnergy.Gibbs(d.LogTarget, d.LogQ, beta);
        var eVar = ImportanceWeightedObservable.Mean(d.LogQ, d.LogQ, perSpin);
        var cVar = HeatCapacity(ImportanceWeightedObservable.Variance(d.LogQ, d.LogQ, perSpin), beta, n);

        var (logTarget, logQ) = d.HasSymmetric ? (d.LogTargetSymmetric, d.LogQSymmetric) : (d.LogTarget, d.LogQ);
        // H is even under the flip, so the energies of the flipped draws are those of the draws: −ln p~/β.
        var nisEnergies = d.HasSymmetric ? logTarget.Select(lp => -lp / beta / n).ToArray() : perSpin;
        var nis = NeuralImportanceSampling.FreeEnergy(logTarget, logQ, beta);
        var f = nis.ToEstimate(biasCorrected: true);
        var eNis = ImportanceWeightedObservable.Mean(logTarget, logQ, nisEnergies);
        var cNis = HeatCapacity(ImportanceWeightedObservable.Variance(logTarget, logQ, nisEnergies), beta, n);
        var ess = EffectiveSampleSize.Reverse(logTarget, logQ);
        return new ThermodynamicEstimates(beta, samples,
            PerSpin(gibbs, n), eVar, cVar,
            PerSpin(f, n), nis.Bias / n, eNis, cNis, ess, d.HasSymmetric);
    }

    /// <summary>C/N = β² Var(H)/N = β² N Var(H/N).</summary>
    private static Estimate HeatCapacity(Estimate varianceOfEnergyPerSpin, double beta, int n)
    {
        double scale = beta * beta * n;
        return varianceOfEnergyPerSpin with { Mean = scale * varianceOfEnergyPerSpin.Mean, StdError = scale * varianceOfEnergyPerSpin.StdError };
    }

    private static Estimate PerSpin(Estimate e, int n) => e with { Mean = e.Mean / n, StdError = e.StdError / n };
}
