using Boltzmann.Learning.Symmetry;
using Boltzmann.Learning.Models;
using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Training;

/// <summary>
/// One minibatch of the reverse-KL objective: the loss with its autograd graph, and the detached per-sample
/// ln p~ and ln q (in float64 on the host) for diagnostics such as the ESS and the free-energy bound.
/// </summary>
public sealed record ReverseKlBatch(Tensor Loss, double[] LogTarget, double[] LogQ);

/// <summary>
/// The reverse-KL loss of Hartnett &amp; Mohseni 2020, eq. 17: L_reverse = E_{x~q}[ln q(x) − ln p~(x)] = β G_x[q] ≥ −ln Z_x
/// (eq. 18), estimated by self-sampling x = G(z), z ~ N(0, I), with the reparameterised gradient (the samples keep
/// their graph through G, so ∂L/∂θ includes ∂x/∂θ). With <c>symmetrize</c> the model density is replaced by
/// q_sym(x) = (q(x) + q(−x))/2 (appendix A.1, <see cref="Z2Symmetrized"/>): since ln q_sym and ln p~ (zero field) are
/// both even in x, the average over x ~ q equals the average over x ~ q_sym, so the same samples estimate
/// KL(q_sym‖p) − ln Z_x exactly.
/// </summary>
public sealed class ReverseKlObjective
{
    private const double Ln2 = 0.69314718055994530941723212145818;

    private readonly IExactSampler _model;
    private readonly Func<Tensor, Tensor> _logTarget;

    /// <param name="model">The flow q (sampled with its reparameterised graph).</param>
    /// <param name="logTarget">ln p~(x) per row of x [batch, N], differentiable in x (an <c>ITarget</c>, e.g. the SK relaxation target).</param>
    /// <param name="symmetrize">Use q_sym in the loss (only valid for a Z2-invariant target, i.e. zero field).</param>
    public ReverseKlObjective(IExactSampler model, Func<Tensor, Tensor> logTarget, bool symmetrize)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _logTarget = logTarget ?? throw new ArgumentNullException(nameof(logTarget));
        Symmetrize = symmetrize;
        Density = symmetrize ? new Z2Symmetrized(model) : model;
    }

    public bool Symmetrize { get; }

    /// <summary>The density the loss uses: q, or q_sym when symmetrising. Importance weights of a trained flow use this one.</summary>
    public IExactSampler Density { get; }

    /// <summary>Draws <paramref name="batch"/> samples of q and returns the loss mean[ln q(x) − ln p~(x)] with its graph.</summary>
    public ReverseKlBatch Evaluate(long batch, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var (x, logQ) = _model.Sample(batch, generator);
        // ln q_sym(x) = logaddexp(ln q(x), ln q(−x)) − ln 2 with ln q(x) from the sampling pass: one inverse pass over
        // −x instead of two over [x; −x] (about a third of a symmetrised step saved; same value up to round-off).
        if (Symmetrize) logQ = logaddexp(logQ, _model.LogProb(x.neg())).PlusConstant(-Ln2);
        var logTarget = _logTarget(x);
        var loss = logQ.sub(logTarget).mean();
        double[] lt, lq;
        using (no_grad())
        {
            lt = logTarget.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            lq = logQ.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        }
        return new ReverseKlBatch(loss.MoveToOuterDisposeScope(), lt, lq);
    }
}
