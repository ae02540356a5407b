namespace Boltzmann.Estimators;

/// <summary>
/// How the samples entering an estimator were produced, which decides how its error is computed.
/// Samples of the model q (a normalizing flow or an autoregressive network) are independent by construction
/// (ancestral sampling, Nicoli et al. PRE 101, 023304 (2020)); samples of the target p usually come from a
/// Markov chain (parallel tempering, HMC) and are autocorrelated.
/// </summary>
public enum SampleDependence
{
    /// <summary>Independent draws: error sqrt(Var/N), tau_int = 1/2 exactly (Sokal convention).</summary>
    Independent,

    /// <summary>
    /// A time-ordered Markov chain: the error of every (linearised) mean comes from the Gamma method
    /// (<see cref="Boltzmann.Statistics.IntegratedAutocorrelation"/>), error sqrt(2 tau_int Var / N).
    /// Concatenated independent chains are analysed as one series, which is slightly conservative.
    /// </summary>
    MarkovChain,
}
