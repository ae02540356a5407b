using static TorchSharp.torch;

namespace Boltzmann.Learning.Models;

/// <summary>
/// A normalised generative model with exact sampling and exact log-probability: normalizing flows
/// (densities on R^N) and autoregressive networks (probability mass on {-1,+1}^N). This is what the
/// generic estimators need (neural importance sampling, ESS, neural MCMC, variational free energies):
/// they see only samples and log q, never the architecture.
/// </summary>
public interface IExactSampler
{
    /// <summary>Number of degrees of freedom (spins or continuous coordinates).</summary>
    int Dimension { get; }

    /// <summary>
    /// Draws <paramref name="batch"/> independent samples [batch, Dimension] with their log-probabilities [batch]
    /// (float64 unless the model was built in float32). Randomness comes only from <paramref name="generator"/>,
    /// so a seeded generator reproduces the same samples.
    /// </summary>
    (Tensor Samples, Tensor LogProb) Sample(long batch, Generator? generator = null);

    /// <summary>Exact log q(x) for a batch of configurations [batch, Dimension] -> [batch].</summary>
    Tensor LogProb(Tensor samples);
}
