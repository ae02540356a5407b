using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Training;

/// <summary>
/// The reverse-KL loss with the path gradient (Vaitl, Nicoli, Nakajima &amp; Kessel, "Gradients should stay on path",
/// Mach. Learn.: Sci. Technol. 3, 045006 (2022), Algorithm 1, the stop-gradient algorithm of Nicoli's 2024 talk; the
/// CNF version is their ICML 2022 paper, arXiv:2206.09016; Roeder et al. NeurIPS 2017 "sticking the landing"). The total
/// (reparametrisation) gradient of KL(q‖p) = E_z[ln q_θ(G_θ(z)) + S(G_θ(z))] is G_path + G_score, and the score term
/// E_q[∂_θ ln q_θ(x)] vanishes in expectation but not per sample; dropping it leaves the path gradient
/// <code>  G_path = E_z[ (∂/∂x [ln q_θ(x) − ln p~(x)])|_{x = G_θ(z)} · ∂G_θ(z)/∂θ ]  </code>
/// which is zero per sample when q = p (zero variance at the optimum). Algorithm: x = G_θ(z) with its graph;
/// x' = stop_gradient(x); g = ∂[ln q_θ(x') − ln p~(x')]/∂x' by autograd through the inverse pass; surrogate
/// loss stop_gradient(g)·x. The returned loss has the value of the reverse-KL estimate mean[ln q − ln p~] (what the
/// Trainer logs and guards) and the gradient of the surrogate.
/// </summary>
public sealed class PathGradientObjective
{
    private readonly NormalizingFlow _flow;
    private readonly Func<Tensor, Tensor> _logTarget;

    public PathGradientObjective(NormalizingFlow flow, Func<Tensor, Tensor> logTarget)
    {
        _flow = flow ?? throw new ArgumentNullException(nameof(flow));
        _logTarget = logTarget ?? throw new ArgumentNullException(nameof(logTarget));
    }

    /// <summary>Draws <paramref name="batch"/> samples of q and returns the path-gradient loss with its graph.</summary>
    public ReverseKlBatch Evaluate(long batch, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var z = _flow.Prior.Sample(batch, generator);
        var (x, _) = _flow.Forward(z);
        var xs = x.detach().requires_grad_(true);
        var logQ = _flow.LogProb(xs);
        var logTarget = _logTarget(xs);
        var g = autograd.grad([logQ.sub(logTarget).sum()], [xs])[0].detach();
        var surrogate = g.mul(x).sum().DividedBy(batch);
        var kl = logQ.detach().sub(logTarget.detach()).mean();
        var loss = surrogate.sub(surrogate.detach()).Plus(kl);
        double[] lt, lq;
        using (no_grad())
        {
            lt = logTarget.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            lq = logQ.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        }
        return new ReverseKlBatch(loss.MoveToOuterDisposeScope(), lt, lq);
    }
}
