using Boltzmann.Statistics;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// The estimates of a trained network at one inverse temperature, from S independent ancestral samples (all per spin).
/// </summary>
/// <param name="Beta">Inverse temperature.</param>
/// <param name="Samples">Number of samples S.</param>
/// <param name="FreeEnergyVariational">Variational (Gibbs) free energy per spin F[Q]/N = mean(ln Q / beta + H)/N, an upper
/// bound of the true f (Biazzo eq. 1; <c>VariationalFreeEnergy.Gibbs</c>).</param>
/// <param name="FreeEnergyNis">Importance-sampling (NIS) free energy per spin -ln(mean w~)/(beta N), w~ = e^{-beta H}/Q,
/// bias-corrected by the delta method (<c>NeuralImportanceSampling.FreeEnergy</c>).</param>
/// <param name="FreeEnergyNisBias">The delta-method bias per spin that was removed from the NIS value.</param>
/// <param name="EffectiveSampleSize">Reverse ESS/N = (sum w~)^2/(S sum w~^2) (<c>EffectiveSampleSize.Reverse</c>).</param>
/// <param name="Energy">Mean energy per spin under Q, mean(H)/N.</param>
public sealed record TemperatureEvaluation(
    double Beta, long Samples, Estimate FreeEnergyVariational, Estimate FreeEnergyNis, double FreeEnergyNisBias,
    Estimate EffectiveSampleSize, Estimate Energy);
