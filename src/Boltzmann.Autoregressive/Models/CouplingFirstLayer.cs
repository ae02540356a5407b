using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Learning.Numerics;
using Boltzmann.Spins;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The first layer of the pairwise-Hamiltonian networks, with weights equal to the couplings (Biazzo 2023, eqs. 8-10):
/// <code>
/// x^1_i    = sum_{s&lt;i} J_{s i} x_s          (eq. 8, the local field of the prefix on spin i)
/// x^1_{il} = sum_{s&lt;i} J_{s l} x_s,  l &gt; i  (eq. 9, the same field on a later spin l)
/// x^1_{il} = x^1_{i-1,l} + J_{i-1,l} x_{i-1}  (eq. 10, the recursion shared by consecutive conditionals)
/// </code>
/// Both are entries of one prefix-field vector F^(i)_l = sum_{s&lt;i} J_{sl} x_s (x^1_i = F^(i)_i), so ancestral sampling
/// carries F [batch, N] and adds x_i J_{i,:} after each spin: O(N) per spin, O(N^2) per sample. The Hamiltonian is
/// H = -sum_{i&lt;j} J_ij x_i x_j - sum_i h_i x_i.
/// <para>
/// By default the weights are the couplings J of the Hamiltonian and are not learned. With
/// <see cref="LearnedCouplings"/> (the max-likelihood experiment of Fig. 6) the weight matrix W replaces J everywhere in
/// eqs. 8-10 and is a trainable parameter: its strict upper triangle, N(N-1)/2 numbers in row-major pair order
/// (i &lt; l), from which W is assembled symmetric with zero diagonal, so the gradient of W_il and of W_li both reach
/// the one shared number. The fields h stay fixed in both modes.
/// </para>
/// </summary>
public sealed class CouplingFirstLayer
{
    private readonly Parameter? _upper;
    private readonly Tensor? _symmetricIndex;

    /// <summary>Copies the couplings and fields of <paramref name="instance"/> to <paramref name="device"/>; the weights are J, fixed.</summary>
    public CouplingFirstLayer(IPairwiseCouplings instance, Device device) : this(instance, device, null, null)
    {
    }

    /// <summary>
    /// As <see cref="CouplingFirstLayer(IPairwiseCouplings, Device)"/>, but with <paramref name="learned"/> not null the weight
    /// matrix W is a trainable parameter initialised as it says; small random values are drawn from
    /// <paramref name="init"/> (a CPU generator; required then).
    /// </summary>
    /// <param name="dtype">Floating dtype of the layer's tensors (float64 default; float32 for float32 networks).</param>
    public CouplingFirstLayer(IPairwiseCouplings instance, Device device, LearnedCouplings? learned, Generator? init,
                              ScalarType dtype = ScalarType.Float64)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(device);
        N = instance.N;
        Couplings = tensor(instance.Couplings.ToArray(), [N, N], dtype: ScalarType.Float64).to(dtype).to(device);
        Fields = tensor(instance.Fields.ToArray(), [N], dtype: ScalarType.Float64).to(dtype).to(device);
        using var scope = NewDisposeScope();
        ShiftedCouplings = cat([zeros(1, N, dtype: dtype, device: device), Couplings.slice(0, 0, N - 1, 1)], 0)
            .MoveToOuterDisposeScope();
        if (learned is null) return;

        learned.Validate();
        Learned = learned;
        int pairs = PairCount(N);
        Tensor initial;
        if (learned.Initialisation == CouplingInitialisation.Hamiltonian)
        {
            var upper = new double[pairs];
            for (int i = 0, p = 0; i < N; i++)
                for (int l = i + 1; l < N; l++) upper[p++] = instance.J(i, l);
            initial = tensor(upper, [pairs], dtype: ScalarType.Float64).to(dtype).to(device);
        }
        else
        {
            if (init is null) throw new ArgumentNullException(nameof(init), "CouplingFirstLayer: small random initial couplings need a generator.");
            initial = (randn([pairs], dtype: ScalarType.Float64, device: CPU, generator: init) * learned.Scale).to(dtype).to(device);
        }
        _upper = new Parameter(initial.MoveToOuterDisposeScope(), requires_grad: true);

        // index[i, l] = 0 on the diagonal (a zero entry), 1 + p(min(i,l), max(i,l)) elsewhere, p the row-major pair index.
        var index = new long[(long)N * N];
        for (int i = 0, p = 0; i < N; i++)
            for (int l = i + 1; l < N; l++, p++)
            {
                index[(long)i * N + l] = p + 1;
                index[(long)l * N + i] = p + 1;
            }
        _symmetricIndex = tensor(index, [N, N], dtype: ScalarType.Int64, device: device).MoveToOuterDisposeScope();
    }

    public int N { get; }

    /// <summary>
    /// J [N, N] of the Hamiltonian the layer was built from, symmetric with zero diagonal. With fixed weights these are
    /// the weights; with <see cref="Learned"/> set they are only the reference (and the starting point under
    /// <see cref="CouplingInitialisation.Hamiltonian"/>): the network then reads <see cref="Weights"/>, never J.
    /// </summary>
    public Tensor Couplings { get; }

    /// <summary>h [N] (fixed in both modes).</summary>
    public Tensor Fields { get; }

    /// <summary>J shifted down by one row (row 0 zero, row s+1 = J_{s,:}), so an inclusive cumulative sum is eq. 9's exclusive one (fixed mode).</summary>
    public Tensor ShiftedCouplings { get; }

    /// <summary>How the weights are learned; null when they are the fixed couplings.</summary>
    public LearnedCouplings? Learned { get; }

    /// <summary>Whether the weight matrix is a trainable parameter.</summary>
    public bool IsLearned => _upper is not null;

    /// <summary>The learned strict upper triangle of W [N(N-1)/2], row-major over pairs i &lt; l; null with fixed weights.</summary>
    public Parameter? UpperTriangle => _upper;

    /// <summary>The index map assembling W from the upper triangle ([N, N] int64), registered by the network as a buffer; null with fixed weights.</summary>
    public Tensor? SymmetricIndex => _symmetricIndex;

    /// <summary>Number of pairs i &lt; l: N(N-1)/2.</summary>
    public static int PairCount(int n) => checked(n * (n - 1) / 2);

    /// <summary>
    /// The weight matrix W [N, N] the layer multiplies with: J with fixed weights (the stored tensor itself), else W
    /// assembled from the learned triangle (a new tensor, differentiable with respect to <see cref="UpperTriangle"/>).
    /// </summary>
    public Tensor Weights()
    {
        if (_upper is null) return Couplings;
        var padded = cat([zeros(1, dtype: _upper.dtype, device: _upper.device), _upper], 0);
        return padded.index_select(0, _symmetricIndex!.view(-1)).view(N, N);
    }

    /// <summary>The current weight matrix as a row-major N x N array (a detached copy).</summary>
    public double[] WeightsArray()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Weights().detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
    }

    /// <summary>
    /// Teacher-forced first layer for every conditional at once: [batch, N] -> [batch, N, N] with
    /// out[b, i, l] = sum_{s&lt;i} W_{sl} x_s (eq. 9; the diagonal l = i is eq. 8). Computed as an exclusive cumulative
    /// sum over s (of x_{s-1} W_{s-1,l}, with a zero first term), so out[., i, .] involves x_s for s &lt; i only, not even
    /// through rounding.
    /// </summary>
    public Tensor PrefixFields(Tensor x)
    {
        long batch = x.shape[0];
        var shiftedWeights = _upper is null
            ? ShiftedCouplings
            : cat([zeros(1, N, dtype: _upper.dtype, device: _upper.device), Weights().slice(0, 0, N - 1, 1)], 0);
        var shifted = cat([zeros(batch, 1, dtype: x.dtype, device: x.device), x.slice(1, 0, N - 1, 1)], 1); // x_{s-1}
        return (shifted.unsqueeze(2) * shiftedWeights.unsqueeze(0)).cumsum(1);
    }

    /// <summary>F^(0) = 0 for a batch: no spin observed yet.</summary>
    public Tensor Start(long batch) => zeros(batch, N, dtype: Couplings.dtype, device: Couplings.device);

    /// <summary>F^(i+1) = F^(i) + x_i W_{i,:} in place (eq. 10).</summary>
    public void Advance(Tensor prefixFields, int i, Tensor xi)
    {
        if (_upper is null) prefixFields.PlusInPlace(xi.unsqueeze(1) * Couplings[i].unsqueeze(0));
        else Advance(prefixFields, i, xi, Weights());
    }

    /// <summary>
    /// F^(i+1) = F^(i) + x_i W_{i,:} in place (eq. 10), with W given (e.g. <see cref="Weights"/> taken once per
    /// ancestral-sampling pass, so a learned W is assembled once, not once per spin).
    /// </summary>
    public static void Advance(Tensor prefixFields, int i, Tensor xi, Tensor weights) =>
        prefixFields.PlusInPlace(xi.unsqueeze(1) * weights[i].unsqueeze(0));
}
