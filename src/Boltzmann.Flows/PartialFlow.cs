using Boltzmann.Flows.Bijections;
using Boltzmann.Learning.Models;
using static TorchSharp.torch;

namespace Boltzmann.Flows;

/// <summary>
/// The partial flow G^(ℓ) = g^(ℓ) ∘ … ∘ g^(1) of a <see cref="NormalizingFlow"/> (Hartnett &amp; Mohseni 2020, Eq. 27)
/// as a normalised sampler of its own: the distribution of the intermediate variable z^(ℓ) whose overlap and triangle
/// statistics Sec. 5 follows through the flow. A view: it shares (and does not own) the flow's parameters.
/// </summary>
public sealed class PartialFlow : IExactSampler, IBijection
{
    private readonly NormalizingFlow _flow;

    internal PartialFlow(NormalizingFlow flow, int layers)
    {
        _flow = flow;
        Layers = layers;
    }

    /// <summary>Number ℓ of layers applied (0 = the prior).</summary>
    public int Layers { get; }

    public int Dimension => _flow.Dimension;

    public long[] EventShape => _flow.EventShape;

    public (Tensor Samples, Tensor LogProb) Sample(long batch, Generator? generator = null) => _flow.SamplePartial(batch, Layers, generator);

    public Tensor LogProb(Tensor samples) => _flow.LayerLogProb(Layers, samples);

    public (Tensor X, Tensor LogDet) Forward(Tensor z) => _flow.ForwardPartial(z, Layers);

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x) => _flow.InversePartial(x, Layers);
}
