using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Targets;
using Boltzmann.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// One training step of deep-learning HMC on persistent chains (Foreman, Jin and Osborn, arXiv:2105.03418, eq. 6 and
/// Algorithm 1): fresh v ~ N(0, 1) and d per chain, the learned proposal ξ' with its graph, the acceptance
/// A(ξ'|ξ) = min(1, e^{H(ξ) − H(ξ')} |J|) (eq. 7), and the charge loss
/// <code>  L = −E[ (Q_R(x') − Q_R(x))² A(ξ'|ξ) ]  (+ w · −E[ A (1/V) Σ_P 2(1 − cos(x'_P − x_P)) ] when w &gt; 0),  </code>
/// followed by the accept/reject that moves the chains (they keep evolving from step to step). Random draws come from
/// the state's Generators in the order of <see cref="L2hmcSampler.Step"/>. A non-finite ln|J| or action throws
/// <see cref="L2hmcNonFiniteException"/> naming layer, step and chain. Extras: acceptance, mean δQ_R², and the
/// mean |ln J|.
/// </summary>
public static class L2hmcChargeLoss
{
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar Zero = 0.0.ToScalar();
    private static readonly Scalar One = 1.0.ToScalar();
    private static readonly Scalar Two = 2.0.ToScalar();
    private static readonly long[] PlaquetteDims = [1, 2];

    /// <param name="chargeR">Q_R(x) per chain [chains] (differentiable).</param>
    /// <param name="plaquetteAngles">x_P per chain [chains, L, T] (only for the optional plaquette term).</param>
    public static StepResult Step(L2hmcSampler sampler, ITarget target, L2hmcState state, long step, Func<Tensor, Tensor> chargeR,
                                  double plaquetteWeight = 0, Func<Tensor, Tensor>? plaquetteAngles = null)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(chargeR);
        if (plaquetteWeight > 0 && plaquetteAngles is null) throw new ArgumentException("The plaquette term needs plaquetteAngles.", nameof(plaquetteAngles));
        var x0 = state.Positions;
        long chains = x0.shape[0];
        var v0 = randn(x0.shape, dtype: x0.dtype, device: x0.device, generator: state.Generator);
        var u = rand([chains], dtype: x0.dtype, device: x0.device, generator: state.Generator);
        var d = rand([chains], dtype: x0.dtype, device: x0.device, generator: state.DirectionGenerator).lt(Half);
        var proposal = sampler.Propose(target, x0, v0, d);
        var h0 = L2hmcSampler.Hamiltonian(target, x0, v0);
        var h1 = L2hmcSampler.Hamiltonian(target, proposal.X, proposal.V);
        L2hmcSampler.CheckFinite(proposal.PerLayerLogJacobian, h1, step);
        var acceptance = proposal.LogJacobian.sub(h1.sub(h0)).clamp_max(Zero).exp();
        var jump = chargeR(proposal.X).sub(chargeR(x0)).Squared();
        var loss = jump.mul(acceptance).mean().neg();
        if (plaquetteWeight > 0)
        {
            var dp = plaquetteAngles!(proposal.X).sub(plaquetteAngles(x0)).cos().neg().add(One, One).mul(Two).mean(PlaquetteDims);
            loss = loss.Plus(dp.mul(acceptance).mean().neg().Times(plaquetteWeight));
        }
        using (no_grad())
        {
            var accept = u.lt(acceptance.detach());
            var newX = where(accept.view(chains, 1, 1, 1), proposal.X.detach(), x0);
            state.Update(newX, accept);
            var extras = new List<(string, double)>
            {
                ("acceptance", acceptance.detach().mean().to(ScalarType.Float64).item<double>()),
                ("charge_jump", jump.detach().mean().to(ScalarType.Float64).item<double>()),
                ("abs_log_jacobian", proposal.LogJacobian.detach().abs().mean().to(ScalarType.Float64).item<double>()),
            };
            return new StepResult(loss, extras);
        }
    }
}
