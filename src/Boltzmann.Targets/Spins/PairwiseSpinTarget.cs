using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Targets;
using Boltzmann.Physics.Sk;
using Boltzmann.Spins;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Spins;

/// <summary>
/// The Boltzmann target of a pairwise Ising Hamiltonian H(x) = −Σ_{i&lt;j} J_ij x_i x_j − Σ_i h_i x_i (the SK convention;
/// Biazzo 2023, eq. 3; the Curie-Weiss model is J_ij = J/N, h_i = h) over spins x ∈ {−1, +1}^N as float64 [batch, N]:
/// ln p~(x) = −βH(x), evaluated as β (x J xᵀ/2 + h·x) with the symmetric zero-diagonal J of the instance.
/// The plain-C# twin is <see cref="SkInstance"/> (or <c>IsingLatticeCouplings</c> for the 2D Ising model) as an
/// <c>ISpinHamiltonian</c>; any <see cref="IPairwiseCouplings"/> is accepted. Variational annealing (Biazzo 2023,
/// Sec. II) uses the β = 1 target, ln p~_1 = −H, and scales it by each β_k. No implicit Scalars (<see cref="ScalarArithmetic"/>).
/// When every coupling J_ij (i ≠ j) is the same J₀ and every field the same h (the Curie-Weiss model), H depends on x only
/// through the magnetisation M = Σ_i x_i: −H = J₀ (M² − x·x)/2 + h M (since Σ_{i&lt;j} x_i x_j = (M² − x·x)/2),
/// evaluated in O(N) per configuration instead of the O(N²) product (equal to it up to floating-point rounding).
/// </summary>
public sealed class PairwiseSpinTarget : ITarget, IDisposable
{
    private readonly Tensor _couplings, _fields;

    /// <summary>The target of <paramref name="instance"/> at inverse temperature <paramref name="beta"/> on <paramref name="device"/> (float64).</summary>
    public PairwiseSpinTarget(IPairwiseCouplings instance, double beta = 1.0, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!double.IsFinite(beta) || beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "PairwiseSpinTarget: beta must be finite and > 0.");
        N = instance.N;
        Beta = beta;
        Device = device ?? CPU;
        _couplings = tensor(instance.Couplings.ToArray(), [N, N], dtype: ScalarType.Float64, device: Device);
        _fields = tensor(instance.Fields.ToArray(), [N], dtype: ScalarType.Float64, device: Device);
        HasZeroFields = !instance.Fields.ToArray().Any(h => h != 0);
        _uniform = UniformCouplings(instance);
        if (_uniform is { } u)
        {
            _halfCoupling = (0.5 * u.Coupling).ToScalar();
            _uniformField = u.Field.ToScalar();
        }
    }

    private readonly (double Coupling, double Field)? _uniform;
    private readonly Scalar? _halfCoupling, _uniformField;

    /// <summary>(J₀, h) when every off-diagonal coupling equals J₀, the diagonal is zero and every field equals h; else null.</summary>
    private static (double Coupling, double Field)? UniformCouplings(IPairwiseCouplings instance)
    {
        var j = instance.Couplings;
        var h = instance.Fields;
        int n = instance.N;
        if (n < 2) return null;
        double j0 = j[1], h0 = h[0];
        for (int a = 0; a < n; a++)
        {
            if (h[a] != h0) return null;
            for (int b = 0; b < n; b++)
                if (j[a * n + b] != (a == b ? 0.0 : j0)) return null;
        }
        return (j0, h0);
    }

    public int N { get; }

    public double Beta { get; }

    public long[] EventShape => [N];

    public ScalarType Dtype => ScalarType.Float64;

    public Device Device { get; }

    /// <summary>Whether every field h_i is exactly zero: then H(−x) = H(x) and the Boltzmann distribution is Z2 symmetric.</summary>
    public bool HasZeroFields { get; }

    /// <summary>ln p~(x) = −βH(x) per row of x [batch, N] (float64 ±1) → [batch]; differentiable in x.</summary>
    public Tensor LogProb(Tensor x)
    {
        Require(x);
        using var scope = NewDisposeScope();
        if (_uniform is not null)
        {
            var m = x.sum(1);
            // x·x (= N for spins) kept as a sum, so the gradient J₀ (M − x_i) + h is the zero-diagonal one of x J xᵀ/2 + h·x.
            var uniform = m.mul(m).sub(x.mul(x).sum(1)).mul(_halfCoupling!).add(m.mul(_uniformField!));
            return (Beta == 1.0 ? uniform : uniform.Times(Beta)).MoveToOuterDisposeScope();
        }
        // −H = x J xᵀ/2 + h·x; negating it gives H exactly (IEEE rounding is sign-symmetric), so −LogProb at β = 1 is bit-identical to −x J xᵀ/2 − h·x.
        var minusH = x.matmul(_couplings).mul(x).sum(1).Times(0.5).Plus(x.matmul(_fields));
        return (Beta == 1.0 ? minusH : minusH.Times(Beta)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _couplings.Dispose();
        _fields.Dispose();
        _halfCoupling?.Dispose();
        _uniformField?.Dispose();
    }

    private void Require(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2 || x.shape[1] != N)
            throw new ArgumentException($"PairwiseSpinTarget: x must have shape [batch, {N}], got [{string.Join(", ", x.shape)}].", nameof(x));
        if (x.dtype != ScalarType.Float64)
            throw new ArgumentException($"PairwiseSpinTarget: x must be float64 spins, got {x.dtype}.", nameof(x));
    }
}
