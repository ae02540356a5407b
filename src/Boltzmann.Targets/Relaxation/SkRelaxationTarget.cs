using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Targets;
using Boltzmann.Physics.Relaxation;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Relaxation;

/// <summary>
/// The unnormalised log density of the continuous SK relaxation as a batched, differentiable tensor function
/// (Hartnett &amp; Mohseni 2020, eqs. 3 and 5): ln p~(x) = −β H_β(x) with
/// H_β(x) = ½ xᵀJ~x − (1/β) Σ_i ln 2cosh(β (J~x + h)_i), J~ = J + ΔI. This is the target of reverse-KL
/// training (eq. 17) and the ln p~ of every importance-sampling estimate; the plain-C#
/// <see cref="SkContinuousRelaxation"/> it is built from is the reference it is tested against.
/// <para>Numerics: ln 2cosh a = |a| + log1p(e^{−2|a|}) never overflows (a = β(J~x + h) reaches hundreds at low T);
/// its autograd derivative is tanh a, so ∇ ln p~ = −β J~ (x − tanh(β(J~x + h))), the analytic gradient of eq. 3.
/// J~ and h live on the target's device in its dtype; every method is batched over rows of x [batch, N] and
/// allocation-free in Scalars (<see cref="ScalarArithmetic"/>).</para>
/// </summary>
public sealed class SkRelaxationTarget : ITarget, IDisposable
{
    private readonly Tensor _shifted;
    private readonly Tensor _fields;
    private bool _disposed;

    /// <summary>The target of <paramref name="relaxation"/> (its instance, β and Δ) in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public SkRelaxationTarget(SkContinuousRelaxation relaxation, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(relaxation);
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"SkRelaxationTarget: dtype {dtype} is not allowed; must be Float32 or Float64.", nameof(dtype));
        Relaxation = relaxation;
        Dtype = dtype;
        Device = device ?? CPU;
        int n = relaxation.N;
        _shifted = tensor(relaxation.ShiftedCouplings.ToArray(), [n, n], ScalarType.Float64).to(dtype, Device);
        _fields = tensor(relaxation.Instance.Fields.ToArray(), [n], ScalarType.Float64).to(dtype, Device);
        HasField = relaxation.Instance.Fields.ToArray().Any(h => h != 0);
    }

    /// <summary>The plain-C# relaxation (exact ln Z_x, x|s sampling) this target evaluates.</summary>
    public SkContinuousRelaxation Relaxation { get; }

    public int Dimension => Relaxation.N;

    public long[] EventShape => [Relaxation.N];

    public double Beta => Relaxation.Beta;

    public ScalarType Dtype { get; }

    public Device Device { get; }

    /// <summary>
    /// Whether any field h_i is non-zero. Without a field p(x) is invariant under x → −x, which is what makes the
    /// Z2-symmetrised model of appendix A.1 exact; with one it is not.
    /// </summary>
    public bool HasField { get; }

    /// <summary>ln p~(x) = −β H_β(x) per row of x [batch, N] (differentiable in x).</summary>
    public Tensor LogProb(Tensor x)
    {
        Require(x);
        using var scope = NewDisposeScope();
        double beta = Beta;
        var jx = x.matmul(_shifted);                          // rows of x J~ = (J~ x)ᵀ, J~ symmetric
        var quadratic = x.mul(jx).sum(1);                     // xᵀ J~ x
        var a = jx.Plus(_fields).Times(beta);                 // β (J~ x + h)
        var lnCosh = LnTwoCosh(a).sum(1);
        return lnCosh.sub(quadratic.Times(0.5 * beta)).MoveToOuterDisposeScope();
    }

    /// <summary>H_β(x) (eq. 3) per row of x [batch, N].</summary>
    public Tensor HamiltonianDensity(Tensor x)
    {
        using var scope = NewDisposeScope();
        return LogProb(x).Times(-1.0 / Beta).MoveToOuterDisposeScope();
    }

    /// <summary>ln 2cosh a = |a| + log1p(exp(−2|a|)), elementwise and overflow-free.</summary>
    public static Tensor LnTwoCosh(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var scope = NewDisposeScope();
        var abs = a.abs();
        return abs.Plus(abs.Times(-2.0).exp().log1p()).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _shifted.Dispose();
        _fields.Dispose();
    }

    private void Require(Tensor x)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2 || x.shape[1] != Dimension)
            throw new ArgumentException($"SkRelaxationTarget.LogProb: x must be [batch, {Dimension}]; got shape [{string.Join(", ", x.shape)}].", nameof(x));
        if (x.dtype != Dtype)
            throw new ArgumentException($"SkRelaxationTarget.LogProb: x has dtype {x.dtype}, the target {Dtype}; convert it first.", nameof(x));
        if (x.device.type != Device.type)
            throw new ArgumentException($"SkRelaxationTarget.LogProb: x is on {x.device}, the target on {Device}.", nameof(x));
    }
}
