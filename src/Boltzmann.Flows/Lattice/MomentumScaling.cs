using Boltzmann.Flows.Bijections;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Lattice;

/// <summary>
/// A learned linear, translation-invariant map of the periodic L x T lattice: every Fourier mode of z is scaled by
/// e^{s(p̂²)}, one parameter per distinct lattice momentum p̂² = 4 sin²(k_x/2) + 4 sin²(k_t/2),
/// <code>  x = U diag(e^{s}) Uᵀ z,   ln|det ∂x/∂z| = Σ_modes s,  </code>
/// U the real orthonormal Fourier basis (cos and sin of k·x for each pair ±k; cos only for k ≡ −k). It is the exact
/// sampler of any Gaussian whose inverse covariance is a function of the lattice Laplacian: for the hopping-form
/// action S₂ = Σ_x [(1 − 2λ) φ_x² − 2κ Σ_μ φ_x φ_{x+μ}] (lattice-hmc.md) the mode variance is 1/(2a_k),
/// a_k = 1 − 2λ − 2κ Σ_μ cos k_μ, so e^{s} = (2a_k)^{−1/2} represents the free field (λ = 0) exactly. As the first
/// layer of a <see cref="LatticeFlow"/> it takes the long-wavelength Gaussian correlations off the local conv couplings
/// (the conv receptive field grows by a few sites per coupling; near κ_c the correlation length exceeds it). The map
/// is a circulant (commutes with every lattice translation), linear hence odd (Z2-equivariant: x(−z) = −x(z)), and
/// ties s across p̂² so it also commutes with the lattice reflections. Initialised at the identity (s = 0).
/// Cost: two [batch, V] x [V, V] products per pass (V = L T).
/// </summary>
public sealed class MomentumScaling : Module, IBijection
{
    private readonly TorchSharp.Modules.Parameter _logScale;
    private readonly Tensor _basis;
    private readonly Tensor _expand;
    private readonly long[] _shape;

    /// <param name="init">When given, the log-scales are drawn U(−<paramref name="scale"/>, <paramref name="scale"/>) from it (tests); else 0.</param>
    public MomentumScaling(string name, long[] eventShape, ScalarType dtype, Device? device = null, Generator? init = null, double scale = 0.5)
        : base(name)
    {
        _shape = LatticeShape.RequireTorus(eventShape, name);
        device ??= CPU;
        var (basis, level, levels) = FourierBasis((int)_shape[0], (int)_shape[1]);
        int v = (int)(_shape[0] * _shape[1]);
        Levels = levels;
        _basis = tensor(basis, [v, v], dtype: dtype, device: device);
        var expand = new double[levels.Length * v];             // one-hot [levels, V]: s per mode = s per level · E
        for (int j = 0; j < v; j++) expand[level[j] * v + j] = 1;
        _expand = tensor(expand, [levels.Length, v], dtype: dtype, device: device);
        using (var scope = NewDisposeScope())
        {
            var s0 = zeros(levels.Length, ScalarType.Float64, CPU);
            if (init is not null) s0.uniform_(-scale, scale, init);
            _logScale = new TorchSharp.Modules.Parameter(s0.to(dtype, device).DetachFromDisposeScope());
        }
        register_parameter("log_scale", _logScale);
        register_buffer("basis", _basis);
        register_buffer("expand", _expand);
    }

    /// <summary>The distinct p̂² values, one learned log-scale each (in the order of the parameter vector).</summary>
    public double[] Levels { get; }

    /// <summary>The learned log-scales, one per entry of <see cref="Levels"/>.</summary>
    public Tensor LogScale => _logScale;

    public long[] EventShape => (long[])_shape.Clone();

    public (Tensor X, Tensor LogDet) Forward(Tensor z) => Apply(z, negate: false);

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x) => Apply(x, negate: true);

    private (Tensor Y, Tensor LogDet) Apply(Tensor input, bool negate)
    {
        using var scope = NewDisposeScope();
        long b = input.shape[0];
        var s = _logScale.unsqueeze(0).matmul(_expand).squeeze(0); // [V]: log-scale of every mode
        if (negate) s = s.neg();
        var modes = input.reshape(b, -1).matmul(_basis);          // Uᵀ z as rows: [b, V]
        var y = modes.mul(s.exp()).matmul(_basis.t()).reshape(input.shape);
        return scope.MoveToOuter(y, s.sum().expand(b));
    }

    /// <summary>
    /// The real orthonormal Fourier basis of the L x T torus as a V x V row-major matrix (column j = mode j in site
    /// order x*T + t), each mode's p̂² level index, and the distinct p̂² values in ascending order.
    /// </summary>
    public static (double[] Basis, long[] Level, double[] Levels) FourierBasis(int l, int t)
    {
        int v = l * t;
        var basis = new double[v * v];
        var p2 = new double[v];
        int j = 0;
        for (int n = 0; n < l; n++)
            for (int m = 0; m < t; m++)
            {
                int nn = (l - n) % l, mm = (t - m) % t;           // −k
                bool self = nn == n && mm == m;
                if (!self && (nn * t + mm) < (n * t + m)) continue; // the pair (k, −k) was done at −k
                double kx = 2 * Math.PI * n / l, kt = 2 * Math.PI * m / t;
                double q = 4 * Math.Pow(Math.Sin(kx / 2), 2) + 4 * Math.Pow(Math.Sin(kt / 2), 2);
                double norm = self ? Math.Sqrt(1.0 / v) : Math.Sqrt(2.0 / v);
                for (int x = 0; x < l; x++)
                    for (int y = 0; y < t; y++)
                        basis[(x * t + y) * v + j] = norm * Math.Cos(kx * x + kt * y);
                p2[j++] = q;
                if (self) continue;
                for (int x = 0; x < l; x++)
                    for (int y = 0; y < t; y++)
                        basis[(x * t + y) * v + j] = norm * Math.Sin(kx * x + kt * y);
                p2[j++] = q;
            }
        var levels = new List<double>();
        foreach (double q in p2.OrderBy(q => q))
            if (levels.Count == 0 || q - levels[^1] > 1e-9) levels.Add(q);
        var level = p2.Select(q => (long)levels.FindIndex(u => Math.Abs(u - q) <= 1e-9)).ToArray();
        return (basis, level, levels.ToArray());
    }
}
