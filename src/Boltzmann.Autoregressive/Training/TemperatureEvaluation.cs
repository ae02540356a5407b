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
/// <param name="FreeEnergyNisSymmetric">With all fields zero: the bias-corrected NIS free energy per spin of the
/// Z2-symmetrised proposal q_sym(x) = (Q(x) + Q(-x))/2, which stays unbiased when Q has collapsed onto one of the two
/// mirror halves of the Boltzmann distribution (raw NIS is then ln 2/(beta N) too high); null when a field is non-zero.</param>
/// <param name="EffectiveSampleSizeSymmetric">With all fields zero: the reverse ESS/N of q_sym; null otherwise.</param>
public sealed record TemperatureEvaluation(
    double Beta, long Samples, Estimate FreeEnergyVariational, Estimate FreeEnergyNis, double FreeEnergyNisBias,
    Estimate EffectiveSampleSize, Estimate Energy,
    Estimate? FreeEnergyNisSymmetric = null, Estimate? EffectiveSampleSizeSymmetric = null);
