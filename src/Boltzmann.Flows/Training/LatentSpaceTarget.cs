using Boltzmann.Flows.Bijections;
using Boltzmann.Learning.Targets;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Training;

/// <summary>
/// The target density pulled back to the latent space of a flow x = G(z): ln p_z(z) = ln p~(G(z)) + ln|det ∂G/∂z|,
/// the negative of the effective latent energy of Li &amp; Wang 2018 (arXiv:1802.02840) eq. 6 / supplement Algorithm 2,
/// U(z) = −[ln p(z) + ln p~(G(z)) − ln q(G(z))] with ln q(G(z)) = ln p(z) − ln|det ∂G/∂z|. It is exact for any
/// flow (trained or not): if z ~ p_z then G(z) ~ p~, so HMC on it (<c>TensorHmc</c>) samples the physical target;
/// a well-trained flow makes p_z close to the Gaussian prior, which is why the latent chains mix fast.
/// Differentiable in z through the flow (the force is autograd through G and the target).
/// </summary>
public sealed class LatentSpaceTarget(IBijection flow, ITarget physical) : ITarget
{
    public IBijection Flow { get; } = flow ?? throw new ArgumentNullException(nameof(flow));

    public ITarget Physical { get; } = physical ?? throw new ArgumentNullException(nameof(physical));

    public long[] EventShape => Physical.EventShape;

    public ScalarType Dtype => Physical.Dtype;

    public Device Device => Physical.Device;

    public Tensor LogProb(Tensor z)
    {
        using var scope = NewDisposeScope();
        var (x, logDet) = Flow.Forward(z);
        return Physical.LogProb(x).add(logDet).MoveToOuterDisposeScope();
    }

    /// <summary>The physical configurations x = G(z) of latent positions (no graph).</summary>
    public Tensor ToPhysical(Tensor z)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (x, _) = Flow.Forward(z);
        return x.MoveToOuterDisposeScope();
    }
}
