using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Targets;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Lattice;

/// <summary>
/// Batched TorchSharp twin of <c>Boltzmann.Physics.Lattice.Phi4Action</c>: real scalar φ⁴ on a periodic L × T
/// lattice in the hopping form (Nicoli et al., "Estimation of thermodynamic observables in lattice field theories
/// with deep generative models", PRL 126 (2021) 032001, eq. 1),
/// <code>  S(φ) = Σ_x [−2κ Σ_μ φ(x) φ(x+μ) + (1 − 2λ) φ(x)² + λ φ(x)⁴],   ln p~(φ) = −S(φ),  </code>
/// on fields [batch, L, T] (dim 1 is x, direction μ = 0; dim 2 is t, μ = 1). φ(x + μ) is torch.roll by −1 along
/// that dim, so the target runs unchanged on any device and dtype (Float32 or Float64). The couplings are cached
/// native Scalars: no implicit double → Scalar conversion in <see cref="LogProb"/> (each would leak a native
/// c10::Scalar until a finalizer runs).
/// </summary>
public sealed class Phi4Target : ITarget, IDisposable
{
    private readonly Scalar _minusTwoKappa;
    private readonly Scalar _mass;   // 1 − 2λ
    private readonly Scalar _lambda;
    private readonly Scalar _one;
    private static readonly long[] SiteDims = [1, 2];
    private static readonly long[] ShiftBack = [-1];
    private static readonly long[] DimX = [1];
    private static readonly long[] DimT = [2];
    private bool _disposed;

    public Phi4Target(int l, int t, double kappa, double lambda, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        if (l < 1 || t < 1) throw new ArgumentOutOfRangeException(nameof(l), "Lattice sides must be positive.");
        if (!double.IsFinite(kappa)) throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "kappa must be finite.");
        if (!(lambda >= 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be finite and >= 0.");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"Phi4Target: dtype {dtype} is not allowed; must be Float32 or Float64.", nameof(dtype));
        L = l; T = t; Kappa = kappa; Lambda = lambda; Dtype = dtype;
        Device = device ?? CPU;
        EventShape = [l, t];
        _minusTwoKappa = (-2 * kappa).ToScalar();
        _mass = (1 - 2 * lambda).ToScalar();
        _lambda = lambda.ToScalar();
        _one = 1.0.ToScalar();
    }

    public int L { get; }
    public int T { get; }
    public double Kappa { get; }
    public double Lambda { get; }
    public long[] EventShape { get; }
    public ScalarType Dtype { get; }
    public Device Device { get; }

    /// <summary>ln p~(φ) = −S(φ) per row of φ [batch, L, T]; differentiable in φ.</summary>
    public Tensor LogProb(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Action(x).neg().MoveToOuterDisposeScope();
    }

    /// <summary>S(φ) per row of φ [batch, L, T].</summary>
    public Tensor Action(Tensor phi)
    {
        Require(phi);
        using var scope = NewDisposeScope();
        // Σ_μ φ(x+μ): roll by −1 brings φ(x+1) to position x.
        var forward = roll(phi, ShiftBack, DimX).add(roll(phi, ShiftBack, DimT), _one);
        var phi2 = phi.Squared();
        var density = phi.mul(forward).mul(_minusTwoKappa)
            .add(phi2.mul(_mass), _one)
            .add(phi2.Squared().mul(_lambda), _one);
        return density.sum(SiteDims).MoveToOuterDisposeScope();
    }

    /// <summary>The magnetisation m = Σ_x φ(x)/V per row of φ [batch, L, T].</summary>
    public static Tensor Magnetisation(Tensor phi)
    {
        ArgumentNullException.ThrowIfNull(phi);
        return phi.mean(SiteDims);
    }

    private void Require(Tensor phi)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(phi);
        if (phi.dim() != 3 || phi.shape[1] != L || phi.shape[2] != T)
            throw new ArgumentException($"Phi4Target: expected [batch, {L}, {T}], got [{string.Join(", ", phi.shape)}].", nameof(phi));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _minusTwoKappa.Dispose(); _mass.Dispose(); _lambda.Dispose(); _one.Dispose();
    }
}
