using Boltzmann.Learning.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// Leapfrog layer k of deep-learning HMC (Foreman, Jin and Osborn, arXiv:2105.03418, Sec. 4): its own momentum
/// network (inputs cos x, sin x and the force ∂S/∂x: ζ_v = (x, ∂_x S)), two position networks for the two masked
/// half updates (inputs cos and sin of the frozen links m ⊙ x and v: ζ_x = (m ⊙ x, v)), and its own learnable step
/// sizes ε_v^k = e^{λ_v}, ε_x^k = e^{λ_x} (positive by construction). The sub-updates and their log-Jacobians:
/// <code>
///   Γ⁺ (eq. 1):  v' = v e^{ε_v s_v/2} − (ε_v/2)(∂S e^{ε_v q_v} + t_v),        ln|J| = Σ ε_v s_v / 2
///   Λ⁺ (eq. 2):  x'_u = wrap(f_{ε_x s_x}(x_u) + ε_x (v e^{ε_x q_x} + t_x)),  ln|J| = Σ_u ln f'_{ε_x s_x}(x_u)
/// </code>
/// on the updated links u (the complement of the frozen mask), with the compact circle map f of
/// <see cref="CircleAffine"/>. The inverses Γ⁻, Λ⁻ undo them exactly (footnote 2); the sampler runs the layers in
/// reverse order for d = −.
/// </summary>
public sealed class L2hmcLeapfrogLayer : Module
{
    private readonly L2hmcNetwork vNet;
    private readonly L2hmcNetwork xNetFirst;
    private readonly L2hmcNetwork xNetSecond;
    private readonly Parameter logEpsV;
    private readonly Parameter logEpsX;
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly long[] EventDims = [1, 2, 3];

    public L2hmcLeapfrogLayer(string name, long channels, double stepSize, int width, int hiddenLayers) : base(name)
    {
        vNet = new L2hmcNetwork("v", 3 * channels, channels, width, hiddenLayers);
        xNetFirst = new L2hmcNetwork("x1", 3 * channels, channels, width, hiddenLayers);
        xNetSecond = new L2hmcNetwork("x2", 3 * channels, channels, width, hiddenLayers);
        logEpsV = new Parameter(zeros(1));
        logEpsX = new Parameter(zeros(1));
        RegisterComponents();
        using (no_grad())
        {
            using var value = Math.Log(stepSize).ToScalar();
            logEpsV.fill_(value); logEpsX.fill_(value);
        }
    }

    /// <summary>ε_v^k (a one-element tensor, differentiable).</summary>
    public Tensor MomentumStepSize() => logEpsV.exp();

    /// <summary>ε_x^k (a one-element tensor, differentiable).</summary>
    public Tensor PositionStepSize() => logEpsX.exp();

    /// <summary>Sets every network weight to zero and both step sizes to <paramref name="stepSize"/> (plain leapfrog).</summary>
    public void ReduceToLeapfrog(double stepSize)
    {
        vNet.ZeroWeights(); xNetFirst.ZeroWeights(); xNetSecond.ZeroWeights();
        using var noGrad = no_grad();
        using var value = Math.Log(stepSize).ToScalar();
        logEpsV.fill_(value); logEpsX.fill_(value);
    }

    /// <summary>Γ⁺ (or Γ⁻ when <paramref name="forward"/> is false) at positions x with force ∂S/∂x; returns v and ln|J| [batch].</summary>
    public (Tensor V, Tensor LogJacobian) Kick(Tensor x, Tensor force, Tensor v, bool forward)
    {
        using var scope = NewDisposeScope();
        var (s, q, t) = vNet.forward(cat([x.cos(), x.sin(), force], 1));
        var eps = MomentumStepSize();
        var halfEps = eps.mul(Half);
        var scale = s.mul(halfEps);                                   // ε_v s_v / 2
        var shift = force.mul(q.mul(eps).exp()).Plus(t).mul(halfEps); // (ε_v/2)(∂S e^{ε_v q_v} + t_v)
        var vNew = forward ? v.mul(scale.exp()).sub(shift) : v.Plus(shift).mul(scale.neg().exp());
        var logJ = scale.sum(EventDims);
        if (!forward) logJ = logJ.neg();
        return (vNew.MoveToOuterDisposeScope(), logJ.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Λ⁺ (or Λ⁻) on the links where <paramref name="updated"/> is true, conditioned on the others (<paramref name="frozen"/>
    /// = 1 − updated, as a float mask) and on v; <paramref name="first"/> selects the network of the first or second half update.
    /// Returns x and ln|J| [batch].
    /// </summary>
    public (Tensor X, Tensor LogJacobian) Drift(Tensor x, Tensor v, Tensor updated, Tensor frozen, bool first, bool forward)
    {
        using var scope = NewDisposeScope();
        var net = first ? xNetFirst : xNetSecond;
        var (s, q, t) = net.forward(cat([x.cos().mul(frozen), x.sin().mul(frozen), v], 1));
        var eps = PositionStepSize();
        var a = s.mul(eps);                                   // ε_x s_x
        var shift = v.mul(q.mul(eps).exp()).Plus(t).mul(eps); // ε_x (v e^{ε_x q_x} + t_x)
        Tensor moved, logDerivative;
        if (forward)
        {
            moved = CompactAngles.Wrap(CircleAffine.Scale(x, a).Plus(shift));
            logDerivative = CircleAffine.LogDerivative(x, a);
        }
        else
        {
            var y = x.sub(shift);
            var aInv = a.neg();
            moved = CompactAngles.Wrap(CircleAffine.Scale(y, aInv));
            logDerivative = CircleAffine.LogDerivative(y, aInv);
        }
        var xNew = where(updated, moved, x);
        var logJ = where(updated, logDerivative, zeros_like(logDerivative)).sum(EventDims);
        return (xNew.MoveToOuterDisposeScope(), logJ.MoveToOuterDisposeScope());
    }
}
