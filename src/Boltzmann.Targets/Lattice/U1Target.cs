using Boltzmann.Learning.Targets;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Lattice;

/// <summary>
/// Batched TorchSharp twin of <c>Boltzmann.Physics.Lattice.U1WilsonAction</c>: 2D U(1) gauge theory with the
/// Wilson action (Foreman, Jin and Osborn, "Deep learning Hamiltonian Monte Carlo", arXiv:2105.03418, eq. 3),
/// <code>  S(x) = β Σ_P (1 − cos x_P),   ln p~(x) = −S(x) = β Σ_P (cos x_P − 1),  </code>
/// on link angles [batch, 2, L, T] (dim 1 is μ). Plaquettes are <see cref="U1TensorObservables.PlaquetteAngles"/>.
/// ln p~ is 2π-periodic in every link, so a sampler may wrap links to (−π, π] without changing it. β is a cached
/// native Scalar (no implicit Scalar conversions in <see cref="LogProb"/>).
/// </summary>
public sealed class U1Target : ITarget, IDisposable
{
    private readonly Scalar _beta;
    private readonly Scalar _one;
    private static readonly long[] PlaquetteDims = [1, 2];
    private bool _disposed;

    public U1Target(int l, int t, double beta, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        if (l < 1 || t < 1) throw new ArgumentOutOfRangeException(nameof(l), "Lattice sides must be positive.");
        if (!(beta >= 0) || double.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and >= 0.");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"U1Target: dtype {dtype} is not allowed; must be Float32 or Float64.", nameof(dtype));
        L = l; T = t; Beta = beta; Dtype = dtype;
        Device = device ?? CPU;
        EventShape = [2, l, t];
        _beta = beta.ToScalar();
        _one = 1.0.ToScalar();
    }

    public int L { get; }
    public int T { get; }
    public double Beta { get; }
    public long[] EventShape { get; }
    public ScalarType Dtype { get; }
    public Device Device { get; }

    /// <summary>ln p~(x) = β Σ_P (cos x_P − 1) per row of links [batch, 2, L, T]; differentiable.</summary>
    public Tensor LogProb(Tensor x)
    {
        Require(x);
        using var scope = NewDisposeScope();
        var cos = U1TensorObservables.PlaquetteAngles(x).cos();
        return cos.sub(_one).sum(PlaquetteDims).mul(_beta).MoveToOuterDisposeScope();
    }

    /// <summary>S(x) = β Σ_P (1 − cos x_P) per row.</summary>
    public Tensor Action(Tensor x)
    {
        using var scope = NewDisposeScope();
        return LogProb(x).neg().MoveToOuterDisposeScope();
    }

    private void Require(Tensor x)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4 || x.shape[1] != 2 || x.shape[2] != L || x.shape[3] != T)
            throw new ArgumentException($"U1Target: expected [batch, 2, {L}, {T}], got [{string.Join(", ", x.shape)}].", nameof(x));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _beta.Dispose(); _one.Dispose();
    }
}
