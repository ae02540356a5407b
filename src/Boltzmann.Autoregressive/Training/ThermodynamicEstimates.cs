using Boltzmann.Statistics;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// Free energy, energy and specific heat per spin of a trained network at one β, raw (variational: plain averages over
/// samples of Q) and NIS-corrected (importance-weighted towards the Boltzmann distribution), from the same draws
/// (<see cref="ThermodynamicEvaluation"/>). The raw F is the variational (Gibbs) free energy F[Q]/N ≥ F/N; the raw E and
/// C are the mean and β²-scaled variance of H/N under Q.
/// </summary>
/// <param name="Beta">Inverse temperature.</param>
/// <param name="Samples">Number of draws.</param>
/// <param name="FreeEnergyVariational">F[Q]/N = mean(ln Q/β + H)/N.</param>
/// <param name="EnergyVariational">mean_Q(H)/N.</param>
/// <param name="SpecificHeatVariational">β² Var_Q(H)/N (jackknife error).</param>
/// <param name="FreeEnergyNis">−ln(mean w~)/(βN), bias-corrected (delta method).</param>
/// <param name="FreeEnergyNisBias">The delta-method bias per spin removed from it.</param>
/// <param name="EnergyNis">Σ w~ H / (N Σ w~) (self-normalised; delta-method error).</param>
/// <param name="SpecificHeatNis">β² Var_p(H)/N from self-normalised weights (jackknife error).</param>
/// <param name="EffectiveSampleSize">Reverse ESS/N of the weights the NIS values use.</param>
/// <param name="Symmetrised">Whether the NIS values use the Z2-symmetrised proposal q_sym (zero field).</param>
public sealed record ThermodynamicEstimates(
    double Beta, long Samples,
    Estimate FreeEnergyVariational, Estimate EnergyVariational, Estimate SpecificHeatVariational,
    Estimate FreeEnergyNis, double FreeEnergyNisBias, Estimate EnergyNis, Estimate SpecificHeatNis,
    Estimate EffectiveSampleSize, bool Symmetrised);
