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
/// The conditioners are stored compactly as maps R^|B| → R^|A| (<see cref="ConditionerMlp"/>), so a pass gathers y_B,
/// evaluates s_A and t_A and writes only the |A| transformed columns: the masked formula above with none of the products
/// by zero. The mask is a persistent buffer (saved and restored with the weights); the index sets A and B are fixed at
/// construction (the parameter shapes depend on them), so a saved flow is rebuilt from its saved masks before its state
/// is loaded (<c>RealNvpCheckpoint</c>), and a loaded mask that differs is refused (<see cref="CheckMask"/>).
/// </summary>
public sealed class AffineCoupling : Module, IBijection
{
    private readonly ConditionerMlp _s;
    private readonly ConditionerMlp _t;
    private readonly Tensor _mask;
    private readonly bool[] _constructionMask;
    private readonly Tensor _active;
    private readonly Tensor _passive;

    public AffineCoupling(string name, bool[] mask, int hiddenLayers, int width, double negativeSlope, ScalarType dtype, Device device)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.Length < 1) throw new ArgumentException($"{name}: mask must have at least one entry.", nameof(mask));
        Dimension = mask.Length;
        _constructionMask = (bool[])mask.Clone();
        var active = Enumerable.Range(0, Dimension).Where(i => mask[i]).ToArray();
        var passive = Enumerable.Range(0, Dimension).Where(i => !mask[i]).ToArray();
        _s = new ConditionerMlp("s", Dimension, passive, active, hiddenLayers, width, negativeSlope, ConditionerOutput.Tanh, dtype, device);
        _t = new ConditionerMlp("t", Dimension, passive, active, hiddenLayers, width, negativeSlope, ConditionerOutput.Identity, dtype, device);
        _mask = tensor(mask.Select(b => b ? 1.0 : 0.0).ToArray(), dtype: dtype, device: device);
        _active = tensor(active.Select(i => (long)i).ToArray(), ScalarType.Int64, device);
        _passive = tensor(passive.Select(i => (long)i).ToArray(), ScalarType.Int64, device);
        register_module("s", _s);
        register_module("t", _t);
        register_buffer("mask", _mask);
    }

    public int Dimension { get; }

    public long[] EventShape => [Dimension];

    /// <summary>The log-scale conditioner s_A(y_B) (tanh output).</summary>
    public ConditionerMlp S => _s;

    /// <summary>The shift conditioner t_A(y_B) (identity output).</summary>
    public ConditionerMlp T => _t;

    /// <summary>The mask tensor m [N] in the model dtype (1 on the acted-upon set A).</summary>
    public Tensor MaskTensor => _mask;

    /// <summary>The acted-upon set A as booleans, read from the (possibly loaded) mask buffer (copied to the host).</summary>
    public bool[] Mask
    {
        get
        {
            using var scope = NewDisposeScope();
            return _mask.to(ScalarType.Float64, CPU).data<double>().ToArray().Select(v => v != 0).ToArray();
        }
    }

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> (marked for <see cref="IsMaskMismatch"/>) when the mask buffer (e.g. after
    /// a state was loaded) differs from the mask the layer was built with: the compact conditioners' weights belong to the
    /// construction's index sets, so another mask would pair them with the wrong coordinates. <paramref name="where"/> names
    /// the caller in the message.
    /// </summary>
    public void CheckMask(string where)
    {
        var loaded = Mask;
        if (!loaded.SequenceEqual(_constructionMask))
        {
            var e = new InvalidDataException(
                $"{where}: the loaded mask of {GetName()} differs from the mask the flow was built with ({loaded.Count(b => b)} vs " +
                $"{_constructionMask.Count(b => b)} active coordinates, {loaded.Zip(_constructionMask).Count(p => p.First != p.Second)} " +
                "positions differ); build the flow with the saved masks before loading its state (RealNvpCheckpoint.Load does).");
            e.Data[MaskMismatchMarker] = true;
            throw e;
        }
    }

    private const string MaskMismatchMarker = "boltzmann.flows.mask-mismatch";

    /// <summary>Whether <paramref name="e"/> is the refusal of <see cref="CheckMask"/> (for callers that add where the state came from).</summary>
    public static bool IsMaskMismatch(InvalidDataException e) => e.Data.Contains(MaskMismatchMarker);

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
        // x_A = z_A ⊙ exp(s_A) + t_A, x_B = z_B: only the |A| columns are computed and written.
        var (sa, ta) = Conditioners(z);
        var xa = z.index_select(1, _active).mul(sa.exp()).PlusInPlace(ta);
        return scope.MoveToOuter(z.index_copy(1, _active, xa), sa.sum(1));
    }

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        // y_A = (x_A − t_A) ⊙ exp(−s_A), y_B = x_B.
        var (sa, ta) = Conditioners(x);
        var za = x.index_select(1, _active).sub(ta).mul(sa.neg().exp());
        return scope.MoveToOuter(x.index_copy(1, _active, za), sa.sum(1).neg());
    }

    /// <summary>s_A(y_B) and t_A(y_B), [batch, |A|]; identical for y and g(y) because x_B = y_B exactly.</summary>
    private (Tensor S, Tensor T) Conditioners(Tensor y)
    {
        var conditioning = y.index_select(1, _passive);
        return (_s.call(conditioning), _t.call(conditioning));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _active.Dispose();
            _passive.Dispose();
        }
        base.Dispose(disposing);
    }
}
