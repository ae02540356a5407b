using Boltzmann.Learning.Numerics;
using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Numerics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Coupling;

/// <summary>
/// One affine coupling layer g(y; A, s, t) of a real NVP flow (Hartnett &amp; Mohseni 2020, Appendix A,
/// Eqs. 24-26), written with a binary mask m (m_i = 1 ⇔ i ∈ A) over all N coordinates (their footnote 9):
/// <code>
///   forward:  x = y ⊙ exp(m ⊙ s(y ⊙ (1−m))) + m ⊙ t(y ⊙ (1−m)),   ln|det ∂x/∂y| = Σ_a m_a s_a
///   inverse:  y = (x − m ⊙ t(x ⊙ (1−m))) ⊙ exp(−m ⊙ s(x ⊙ (1−m)))
/// </code>
/// The conditioners read only the untouched coordinates B = Aᶜ, which pass through exactly (x_b = y_b), so the
/// inverse needs no inversion of s or t and the Jacobian is triangular. (Eq. 24 as printed writes s(y_A), t(y_A);
/// conditioning on the transformed coordinates would not be invertible, so the conditioners here read y_B as in
/// real NVP, Dinh et al. 2017, and as the paper's own masked implementation does.)
/// The mask is a persistent buffer, so it is saved and restored with the weights.
/// </summary>
public sealed class AffineCoupling : Module, IBijection
{
    private readonly ConditionerMlp _s;
    private readonly ConditionerMlp _t;
    private readonly Tensor _mask;

    public AffineCoupling(string name, bool[] mask, int hiddenLayers, int width, double negativeSlope, ScalarType dtype, Device device)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.Length < 1) throw new ArgumentException($"{name}: mask must have at least one entry.", nameof(mask));
        Dimension = mask.Length;
        _s = new ConditionerMlp("s", Dimension, hiddenLayers, width, negativeSlope, ConditionerOutput.Tanh, dtype, device);
        _t = new ConditionerMlp("t", Dimension, hiddenLayers, width, negativeSlope, ConditionerOutput.Identity, dtype, device);
        _mask = tensor(mask.Select(b => b ? 1.0 : 0.0).ToArray(), dtype: dtype, device: device);
        register_module("s", _s);
        register_module("t", _t);
        register_buffer("mask", _mask);
    }

    public int Dimension { get; }

    public long[] EventShape => [Dimension];

    /// <summary>The log-scale conditioner s (tanh output).</summary>
    public ConditionerMlp S => _s;

    /// <summary>The shift conditioner t (identity output).</summary>
    public ConditionerMlp T => _t;

    /// <summary>The mask tensor m [N] in the model dtype (1 on the acted-upon set A).</summary>
    public Tensor MaskTensor => _mask;

    /// <summary>The acted-upon set A as booleans (copied to the host).</summary>
    public bool[] Mask
    {
        get
        {
            using var scope = NewDisposeScope();
            return _mask.to(ScalarType.Float64, CPU).data<double>().ToArray().Select(v => v != 0).ToArray();
        }
    }

    /// <summary>|A| as a 0-d tensor on the device: the analytic bound of |ln|det|| (|s| &lt; 1, Eq. 26).</summary>
    public Tensor? LogDetBound() => _mask.sum();

    /// <summary>Initialises s and t from <paramref name="generator"/> (s first, then t).</summary>
    public void Initialize(Generator generator)
    {
        _s.Initialize(generator);
        _t.Initialize(generator);
    }

    public (Tensor X, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        if (Halves() is var (active, passive))
        {
            // x_A = z_A ⊙ exp(s) + t, x_B = z_B: only the |A| columns are computed and written.
            var (sa, ta) = ConditionersOnHalves(z, active, passive);
            var xa = z.index_select(1, active).mul(sa.exp()).PlusInPlace(ta);
            return scope.MoveToOuter(z.index_copy(1, active, xa), sa.sum(1));
        }
        var (s, t) = Conditioners(z);
        var x = z.mul(s.exp()).Plus(t);
        var logDet = s.sum(1);
        return scope.MoveToOuter(x, logDet);
    }

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (Halves() is var (active, passive))
        {
            // y_A = (x_A − t) ⊙ exp(−s), y_B = x_B.
            var (sa, ta) = ConditionersOnHalves(x, active, passive);
            var za = x.index_select(1, active).sub(ta).mul(sa.neg().exp());
            return scope.MoveToOuter(x.index_copy(1, active, za), sa.sum(1).neg());
        }
        var (s, t) = Conditioners(x);
        var z = x.sub(t).mul(s.neg().exp());
        var logDet = s.sum(1).neg();
        return scope.MoveToOuter(z, logDet);
    }

    /// <summary>
    /// The indices of A and B (in the caller's dispose scope), or null when one of them is empty or the conditioners have
    /// no hidden layer: then the masked form runs. Read from the mask buffer on every call, so a loaded state is honoured.
    /// </summary>
    private (Tensor Active, Tensor Passive)? Halves()
    {
        if (_s.Layers.Count < 2) return null;
        var active = _mask.nonzero().view(-1);
        long a = active.shape[0];
        if (a == 0 || a == Dimension) return null;
        return (active, _mask.logical_not().nonzero().view(-1));
    }

    /// <summary>
    /// s_A(y_B) and t_A(y_B), [batch, |A|]: the conditioners on the passive columns only, with the first layers' weights
    /// restricted to the B columns and the last layers' to the A rows (<see cref="ConditionerMlp.ForwardOnHalves"/>).
    /// The same function as <see cref="Conditioners"/> (the masked-out inputs are zeros, the masked-out outputs are
    /// multiplied by zero) at about three quarters of its products; the weights outside the halves get exactly zero
    /// gradient, as in the masked form.
    /// </summary>
    private (Tensor S, Tensor T) ConditionersOnHalves(Tensor y, Tensor active, Tensor passive)
    {
        var conditioning = y.index_select(1, passive);
        return (_s.ForwardOnHalves(conditioning, passive, active), _t.ForwardOnHalves(conditioning, passive, active));
    }

    /// <summary>m ⊙ s(y ⊙ (1−m)) and m ⊙ t(y ⊙ (1−m)); identical for y and g(y) because x_B = y_B exactly.</summary>
    private (Tensor S, Tensor T) Conditioners(Tensor y)
    {
        var passive = ones_like(_mask).sub_(_mask);
        var conditioning = y.mul(passive);
        var s = _s.call(conditioning).mul(_mask);
        var t = _t.call(conditioning).mul(_mask);
        return (s, t);
    }
}
