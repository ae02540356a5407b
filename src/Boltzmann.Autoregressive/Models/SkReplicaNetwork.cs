using Boltzmann.Learning.Numerics;
using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Spins;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The SK_RS / SK_kRSB networks (Biazzo 2023, eq. 20 and SI section III): conditional i is
/// <code>
/// logit_i = 2 beta (h_i + x^1_i) + ln rho+_i - ln rho-_i,
/// ln rho+-_i = w0^{i,+-} sum_{l&gt;i} g^{i,l,+-}(x^1_{il}),
/// g = ln sigma(b_1 + w_1 ln sigma(b_2 + w_2 ... ln sigma(b_{k+1} + w_{k+1} x^1_{il}))),
/// </code>
/// with k + 1 nested log-sigmoid layers (k = 0 is the replica-symmetric network, k = 1, 2 the 1RSB and 2RSB ones: each
/// step of replica symmetry breaking nests one more Gaussian convolution, SI eqs. 36-45). The first layer x^1 is fixed to
/// the couplings (<see cref="CouplingFirstLayer"/>, eqs. 8-10); the skip connection 2 beta (h_i + x^1_i) is the exact
/// local-field term of eq. 5; the shift +-J_il of the fields h^+-_l is absorbed by the free biases of each branch.
/// </summary>
/// <remarks>
/// Free parameters: every conditional i has, for each branch +- and each later spin l, k + 1 (weight, bias) pairs, i.e.
/// the paper's 2(k+1)(N - i) units per conditional, 4(k+1)(N - i) scalars, plus the two output weights w0^{i,+-}.
/// Eq. 20 prints w0 with an index l; a per-l w0 would give (2k+3) weights per (l, branch) and contradict both of the
/// paper's counts, so w0 is shared over l within a branch (the Gaussian-convolution fit it comes from, SI eq. 46,
/// depends on beta and q only, not on l). Total learned: 2(k+1) N(N-1) + 2(N-1) = 2(k+1)N^2 + O(N), the scaling of the
/// paper's Fig. 3 caption; fixed: the N(N-1)/2 couplings and N fields.
/// Initialisation (first layer fixed to J, the variational-annealing networks of Fig. 5): N(0, 1/N^2) ("small random
/// values", main text) only for the innermost layer t = k+1, which acts on x^1_il; the outer nested layers start at
/// w_t = <see cref="OuterLayerWeight"/> = 1, b_t = <see cref="OuterLayerBias"/> = -2 and both output weights at
/// w0 = <see cref="OutputWeight"/> = -1. Why: with every parameter O(1/N) the dependence of the logit on x^1_il is a
/// product of k + 2 factors O(1/N) and so are the gradients of the inner layers; SK_2RSB started flat and stayed 3-4 %
/// above exact enumeration under the default annealing budget (measured, N = 14: 4.1 % at beta = 1.5, SK_1RSB 0.5 %).
/// The chosen values follow the derivation: eq. 27 gives ln rho = c - sum_l (Gaussian-smoothed ln sigma), i.e. w0 = -1;
/// the nested map of SI eq. 43 has a unit outer weight; and the fits of SI eqs. 46-47 (SI Figs. 1-2) replace a Gaussian
/// convolution by an O(1) affine map inside ln sigma. With b_t = -2, ln sigma(b_t + y) is in its near-linear part for the
/// innermost output y ~ -ln 2 (slope sigma(2 + ln 2) = 0.94), so an SK_kRSB branch starts as the SK_RS branch plus a
/// constant, the constant cancels between the identical +- branches (the network starts as the exact beta = 0 model
/// plus the skip connection), and signal and gradient pass every layer with gain ~1; training then bends the outer
/// layers by moving b_t. Measured with this initialisation (N = 14, default budget, SkReplicaAnnealingTests): SK_RS,
/// SK_1RSB and SK_2RSB all within 0.26 % of exact at beta = 1.5 and 2.0. With a learned first layer (Fig. 6) every
/// parameter keeps the paper's N(0, 1/N^2) when that layer starts small and random (<see cref="LearnedCouplings.SmallRandom"/>),
/// and the annealing initialisation when it starts at the couplings.
/// With a learned first layer (<see cref="LearnedCouplings"/>, the max-likelihood experiment of Fig. 6) the N(N-1)/2
/// couplings move from the fixed to the learned count (total unchanged): learned 2(k+1) N(N-1) + 2(N-1) + N(N-1)/2,
/// fixed N (the fields). The skip connection then reads 2 beta (h_i + sum_{s&lt;i} W_si x_s), so at the maximum of the
/// likelihood of samples drawn at this beta, W estimates J itself (not beta J).
/// Teacher forcing and ancestral sampling run the fused branch kernel on the CPU (<see cref="SkBranchKernel"/>, float32
/// or float64, first layer fixed to J; <see cref="FusedKernel"/>): the k + 1 nested layers of each pair (i &lt; l) run in
/// registers over the contiguous parameter row of conditional i, the prefix fields follow eq. 10, and the backward pass
/// recomputes the chain, so no [batch, pairs] tensor exists (SK_2RSB, N = 200, batch 1000: peak process memory
/// 0.25 GB, was 4.7 GB with the composition below). Otherwise (learned first layer, other devices) the branches are
/// composed of libtorch operations on the N(N-1)/2 pairs packed row by row ([batch, pairs] tensors, summed back per i
/// with an index-add), over batch chunks of at most 2^18 entries; autograd then keeps about three [batch, N(N-1)/2]
/// tensors per layer and branch for the backward pass.
/// </remarks>
public abstract class SkReplicaNetwork : AutoregressiveModel
{
    private const long ChunkEntries = 1L << 18;
    private readonly Parameter _weightPlus, _biasPlus, _weightMinus, _biasMinus, _outPlus, _outMinus;
    private readonly Tensor _pairMask, _outMask, _pairIndex, _pairRow;
    private double _beta;

    /// <param name="name">Module name.</param>
    /// <param name="instance">Couplings and fields of the Hamiltonian.</param>
    /// <param name="beta">Inverse temperature of the skip connection.</param>
    /// <param name="k">Replica-symmetry-breaking steps (0 = RS).</param>
    /// <param name="device">Device of the model (CPU when null).</param>
    /// <param name="init">CPU generator for the initial parameters; a fixed seed when null.</param>
    /// <param name="learnedCouplings">Null (default): the first layer is fixed to J. Otherwise the first-layer weight
    /// matrix is learned, initialised as it says; its small random values are drawn from <paramref name="init"/> after
    /// every other parameter, so the other parameters equal those of the fixed-layer network with the same generator.</param>
    protected SkReplicaNetwork(string name, IPairwiseCouplings instance, double beta, int k, Device? device, Generator? init,
                               LearnedCouplings? learnedCouplings = null, ScalarType dtype = ScalarType.Float64)
        : base(name, (instance ?? throw new ArgumentNullException(nameof(instance))).N, device, dtype)
    {
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, $"{name}: the number of replica-symmetry-breaking steps k must be >= 0.");
        K = k;
        Beta = beta;
        CouplingFirstLayer? fixedLayer = null;
        if (learnedCouplings is null)
        {
            fixedLayer = new CouplingFirstLayer(instance, Device, null, null, DType);
            register_buffer("couplings", fixedLayer.Couplings);
            register_buffer("fields", fixedLayer.Fields);
        }

        var g = ParameterInit.OrDefault(init);
        int n = N;
        double std = 1.0 / n;
        if (learnedCouplings is not { Initialisation: CouplingInitialisation.SmallRandom })
        {
            _weightPlus = ParameterInit.Nested([k + 1, n, n], std, OuterLayerWeight, g, Device, DType);
            _biasPlus = ParameterInit.Nested([k + 1, n, n], std, OuterLayerBias, g, Device, DType);
            _weightMinus = ParameterInit.Nested([k + 1, n, n], std, OuterLayerWeight, g, Device, DType);
            _biasMinus = ParameterInit.Nested([k + 1, n, n], std, OuterLayerBias, g, Device, DType);
            _outPlus = ParameterInit.Constant([n], OutputWeight, Device, DType);
            _outMinus = ParameterInit.Constant([n], OutputWeight, Device, DType);
        }
        else
        {
            // The max-likelihood experiment of Fig. 6 from a small random first layer: every parameter "small random",
            // as the paper states for it (the first layer starting at J keeps the annealing initialisation, so that
            // network equals the fixed-layer one).
            _weightPlus = ParameterInit.Normal([k + 1, n, n], std, g, Device, DType);
            _biasPlus = ParameterInit.Normal([k + 1, n, n], std, g, Device, DType);
            _weightMinus = ParameterInit.Normal([k + 1, n, n], std, g, Device, DType);
            _biasMinus = ParameterInit.Normal([k + 1, n, n], std, g, Device, DType);
            _outPlus = ParameterInit.Normal([n], std, g, Device, DType);
            _outMinus = ParameterInit.Normal([n], std, g, Device, DType);
        }
        register_parameter("weight_plus", _weightPlus);
        register_parameter("bias_plus", _biasPlus);
        register_parameter("weight_minus", _weightMinus);
        register_parameter("bias_minus", _biasMinus);
        register_parameter("w0_plus", _outPlus);
        register_parameter("w0_minus", _outMinus);

        // A learned W is drawn after every other parameter, so those equal the fixed-layer network's for the same generator.
        FirstLayer = fixedLayer ?? new CouplingFirstLayer(instance, Device, learnedCouplings, g, DType);
        if (fixedLayer is null)
        {
            register_parameter("couplings_upper", FirstLayer.UpperTriangle!);
            register_buffer("couplings_index", FirstLayer.SymmetricIndex!, persistent: false);
            register_buffer("fields", FirstLayer.Fields);
        }

        using (var scope = NewDisposeScope())
        {
            var index = arange(n, dtype: ScalarType.Int64, device: Device);
            _pairMask = index.unsqueeze(0).gt(index.unsqueeze(1)).MoveToOuterDisposeScope();  // [i, l]: l > i
            _outMask = index.lt(n - 1).MoveToOuterDisposeScope();                              // conditionals with a later spin
            var flat = arange((long)n * n, dtype: ScalarType.Int64, device: Device).view(n, n);
            _pairIndex = flat.masked_select(_pairMask).MoveToOuterDisposeScope();                // i N + l for l > i, row-major
            _pairRow = _pairIndex.div(n, rounding_mode: RoundingMode.floor).MoveToOuterDisposeScope(); // i of each pair
        }
        register_buffer("pair_index", _pairIndex, persistent: false);
        register_buffer("pair_row", _pairRow, persistent: false);
        register_buffer("pair_mask", _pairMask);
        register_buffer("out_mask", _outMask);
    }

    /// <summary>Initial output weight w0^{i,+-} of both branches: -1, the sign and size of eq. 27 (ln rho = c - sum_l of a
    /// Gaussian-smoothed ln sigma), so the branches start as the convex cavity term that the fits of SI eqs. 46-47 represent.</summary>
    public const double OutputWeight = -1.0;

    /// <summary>Initial weight w_t of the outer nested layers t = 1..k: 1, the nested layer of SI eq. 43 has |w| = 1.</summary>
    public const double OuterLayerWeight = 1.0;

    /// <summary>Initial bias b_t of the outer nested layers t = 1..k: -2, the near-linear part of ln sigma (slope
    /// sigma(2 + ln 2) = 0.94 at the innermost layer's initial output -ln 2), so an SK_kRSB branch starts as the SK_RS
    /// branch plus a constant and passes signal and gradient through every layer.</summary>
    public const double OuterLayerBias = -2.0;

    /// <summary>Number of replica-symmetry-breaking steps k (0 for RS): the branches have k + 1 nested log-sigmoid layers.</summary>
    public int K { get; }

    /// <summary>The first layer (eqs. 8-10): fixed to the couplings of the Hamiltonian, or learned (<see cref="IsFirstLayerLearned"/>).</summary>
    public CouplingFirstLayer FirstLayer { get; }

    /// <summary>Whether the first-layer coupling matrix is a trainable parameter (<see cref="LearnedCouplings"/>).</summary>
    public bool IsFirstLayerLearned => FirstLayer.IsLearned;

    /// <summary>Inverse temperature of the skip connection 2 beta (h_i + x^1_i); settable for annealing schedules.</summary>
    public double Beta
    {
        get => _beta;
        set
        {
            if (!double.IsFinite(value) || value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, $"{Architecture}: beta must be finite and >= 0.");
            _beta = value;
        }
    }

    /// <summary>Branch weights w_t^{i,l,+} as [k+1, N, N] (index t-1 for the paper's layer t, t = 1 outermost); only l &gt; i is used.</summary>
    public Parameter WeightPlus => _weightPlus;

    /// <summary>Branch biases b_t^{i,l,+}, layout as <see cref="WeightPlus"/>.</summary>
    public Parameter BiasPlus => _biasPlus;

    /// <summary>Branch weights w_t^{i,l,-}, layout as <see cref="WeightPlus"/>.</summary>
    public Parameter WeightMinus => _weightMinus;

    /// <summary>Branch biases b_t^{i,l,-}, layout as <see cref="WeightPlus"/>.</summary>
    public Parameter BiasMinus => _biasMinus;

    /// <summary>Output weights w0^{i,+} [N] (conditional N has no later spin and does not use it).</summary>
    public Parameter OutputPlus => _outPlus;

    /// <summary>Output weights w0^{i,-} [N].</summary>
    public Parameter OutputMinus => _outMinus;

    // The counts read the int64 pair-index buffers, not the boolean masks: Module.to(dtype) (as the Trainer calls it)
    // replaces boolean buffers in the module's dictionary and disposes the tensors this class holds.
    public override long TrainableParameterCount
    {
        get
        {
            using var scope = NewDisposeScope();
            long pairs = _pairIndex.numel();                                         // (i, l) with l > i
            long withLater = pairs == 0 ? 0 : _pairRow.max().item<long>() + 1;       // conditionals i with a later spin
            long couplings = FirstLayer.UpperTriangle?.numel() ?? 0;
            return 4L * (K + 1) * pairs + 2L * withLater + couplings;
        }
    }

    public override long FixedParameterCount
    {
        get
        {
            long couplings = FirstLayer.IsLearned ? 0 : _pairIndex.numel(); // couplings J_il (i < l) when fixed
            return couplings + FirstLayer.Fields.numel();                    // and the fields h_i
        }
    }

    /// <summary>Closed-form learned-parameter count 2(k+1) N(N-1) + 2(N-1) (paper: 2(k+1)(N-i) units per conditional, 2(k+1)N^2 + O(N) in total).</summary>
    public static long TrainableParameterCountFormula(int n, int k) => 2L * (k + 1) * n * (n - 1) + 2L * (n - 1);

    /// <summary>Closed-form total: learned parameters plus the N(N-1)/2 couplings and N fields of the fixed first layer.</summary>
    public static long ParameterCountFormula(int n, int k) => TrainableParameterCountFormula(n, k) + (long)n * (n - 1) / 2 + n;

    /// <summary>
    /// Closed-form learned-parameter count with the first layer fixed (as <see cref="TrainableParameterCountFormula(int, int)"/>)
    /// or learned: then the N(N-1)/2 couplings are learned too, 2(k+1) N(N-1) + 2(N-1) + N(N-1)/2.
    /// </summary>
    public static long TrainableParameterCountFormula(int n, int k, bool learnedCouplings) =>
        TrainableParameterCountFormula(n, k) + (learnedCouplings ? (long)n * (n - 1) / 2 : 0);

    /// <summary>Closed-form fixed count: N(N-1)/2 couplings + N fields with the first layer fixed, N fields with it learned.</summary>
    public static long FixedParameterCountFormula(int n, int k, bool learnedCouplings) =>
        ParameterCountFormula(n, k) - TrainableParameterCountFormula(n, k, learnedCouplings);

    private bool UsesKernel(Tensor x) =>
        FusedKernel && !FirstLayer.IsLearned && SkBranchFunction.Supports(x, FirstLayer.Couplings, _weightPlus, _biasPlus, _weightMinus, _biasMinus);

    protected override Tensor ComputeLogits(Tensor x)
    {
        if (UsesKernel(x)) return FusedLogits(x);
        long batch = x.shape[0];
        long chunk = Math.Max(1, ChunkEntries / ((long)N * N));
        long pairs = _pairIndex.shape[0];
        var packed = new (Tensor W, Tensor B)[2];
        packed[0] = (_weightPlus.view(K + 1, (long)N * N).index_select(1, _pairIndex), _biasPlus.view(K + 1, (long)N * N).index_select(1, _pairIndex));
        packed[1] = (_weightMinus.view(K + 1, (long)N * N).index_select(1, _pairIndex), _biasMinus.view(K + 1, (long)N * N).index_select(1, _pairIndex));
        if (batch <= chunk) return ChunkLogits(x, packed, pairs);
        var parts = new List<Tensor>();
        for (long start = 0; start < batch; start += chunk)
        {
            using var step = NewDisposeScope(); // frees each chunk's [chunk, N, N] intermediates (unless autograd keeps them)
            parts.Add(ChunkLogits(x.slice(0, start, Math.Min(batch, start + chunk), 1), packed, pairs).MoveToOuterDisposeScope());
        }
        return cat(parts, 0);
    }

    protected override AncestralState BeginAncestralSampling(long batch) => new PrefixFieldState(this, batch);

    /// <summary>
    /// Teacher-forced logits through the fused kernel: the branches (ln rho+-, [2, batch, N]) come from
    /// <see cref="SkBranchFunction"/>, the skip connection 2 beta (h_i + x^1_i) from one triangular product
    /// x^1_i = sum_{s&lt;i} x_s J_si.
    /// </summary>
    private Tensor FusedLogits(Tensor x)
    {
        var couplings = FirstLayer.Couplings;
        var self = x.matmul(couplings.triu(1));
        var skip = self.Plus(FirstLayer.Fields).Times(2 * _beta);
        if (N == 1) return skip;
        var branches = SkBranchFunction.Apply(x, couplings, _weightPlus, _biasPlus, _weightMinus, _biasMinus);
        return skip.Plus(_outPlus * branches[0]).Minus(_outMinus * branches[1]);
    }

    private Tensor ChunkLogits(Tensor x, (Tensor W, Tensor B)[] packed, long pairs)
    {
        long batch = x.shape[0];
        var prefix = FirstLayer.PrefixFields(x);                                  // [b, i, l]
        var self = prefix.diagonal(0, 1, 2);                                      // x^1_i, [b, N]
        var later = prefix.reshape(batch, (long)N * N).index_select(1, _pairIndex); // x^1_il for l > i, [b, pairs]
        var skip = self.Plus(FirstLayer.Fields).Times(2 * _beta);
        if (pairs == 0) return skip;
        var lnRhoPlus = Branch(later, packed[0].W, packed[0].B);
        var lnRhoMinus = Branch(later, packed[1].W, packed[1].B);
        return skip.Plus(_outPlus * lnRhoPlus).Minus(_outMinus * lnRhoMinus);
    }

    /// <summary>sum_{l&gt;i} of the nested log-sigmoid layers, innermost (t = k+1) first: [b, pairs] -> [b, N].</summary>
    private Tensor Branch(Tensor later, Tensor weight, Tensor bias)
    {
        var y = later;
        for (int t = K; t >= 0; t--) y = logsigmoid(bias[t].Plus(weight[t] * y));
        return zeros(later.shape[0], N, dtype: later.dtype, device: Device).index_add(1, _pairRow, y, ScalarArithmetic.One); // the shared Scalar: an implicit 1.0 raced its finalizer
    }

    /// <summary>The same branch for one conditional i on the later fields F_l, l &gt; i: [b, N-1-i] -> [b].</summary>
    private Tensor BranchRow(Tensor later, Tensor weight, Tensor bias, int i)
    {
        var y = later;
        for (int t = K; t >= 0; t--) y = logsigmoid(bias[t, i].slice(0, i + 1, N, 1).Plus(weight[t, i].slice(0, i + 1, N, 1) * y));
        return y.sum(1);
    }

    /// <summary>Carries the prefix fields F^(i) (eq. 10), so conditional i costs O((k+1)(N - i)) and a sample O((k+1)N^2).</summary>
    private sealed class PrefixFieldState(SkReplicaNetwork model, long batch) : AncestralState
    {
        private readonly Tensor _fields = model.FirstLayer.Start(batch);
        private readonly Tensor _weights = model.FirstLayer.Weights(); // assembled once per pass when learned
        private readonly bool _kernel = model.UsesKernel(model.FirstLayer.Couplings);

        public override Tensor Logit(int i)
        {
            var skip = _fields.select(1, i).Plus(model.FirstLayer.Fields[i]).Times(2 * model._beta);
            if (i == model.N - 1) return skip;
            if (_kernel)
            {
                var branches = SkBranchFunction.Conditional(_fields, i, model._weightPlus, model._biasPlus, model._weightMinus, model._biasMinus);
                return skip.Plus(model._outPlus[i] * branches[0]).Minus(model._outMinus[i] * branches[1]);
            }
            var later = _fields.slice(1, i + 1, model.N, 1);
            var lnRhoPlus = model.BranchRow(later, model._weightPlus, model._biasPlus, i);
            var lnRhoMinus = model.BranchRow(later, model._weightMinus, model._biasMinus, i);
            return skip.Plus(model._outPlus[i] * lnRhoPlus).Minus(model._outMinus[i] * lnRhoMinus);
        }

        public override void Observe(int i, Tensor xi) => CouplingFirstLayer.Advance(_fields, i, xi, _weights);
    }
}
