using Boltzmann.Learning.Models;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Bijections;

/// <summary>
/// A flow G = g^(L) ∘ … ∘ g^(1) whose intermediate variables z^(ℓ) = G^(ℓ)(z^(0)) are exposed, for the
/// layer-wise analysis of Hartnett &amp; Mohseni 2020 (Sec. 3, Eqs. 11-14, and Sec. 5: P(q) and triangle
/// statistics of every layer). Layer 0 is the prior, layer <see cref="LayerCount"/> the full flow.
/// Each layer is itself a normalised density: ln p(z^(ℓ)) = ln N(z^(0)) − Σ_{k≤ℓ} ln|det ∂g^(k)|, the negative
/// of the Hamiltonian density of their Eq. 13 minus ln Z_G = (N/2) ln 2π (Eq. 14).
/// </summary>
public interface ILayeredFlow : IExactSampler
{
    /// <summary>Number of layers L (bijections after the prior).</summary>
    int LayerCount { get; }

    /// <summary>Pushes prior samples z [batch, ..event] through the flow and keeps every z^(ℓ), ℓ = 0..L, with its log density.</summary>
    FlowLayers ForwardLayers(Tensor z);

    /// <summary>Draws prior samples and returns every layer z^(ℓ), ℓ = 0..L, of the same draws with their log densities.</summary>
    FlowLayers SampleLayers(long batch, Generator? generator = null);

    /// <summary>ln p(z^(ℓ)) of states of layer <paramref name="layer"/> (0..L), by inverting layers ℓ..1 (Eq. 13).</summary>
    Tensor LayerLogProb(int layer, Tensor state);

    /// <summary>The partial flow G^(ℓ) (Eq. 27) as a sampler of its own; ℓ = 0 is the prior, ℓ = L the full flow.</summary>
    IExactSampler PartialFlow(int layer);
}
