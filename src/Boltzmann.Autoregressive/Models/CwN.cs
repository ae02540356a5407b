using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// CW_N, the exact autoregressive network of the finite-N Curie-Weiss model
/// H(x) = -h sum_i x_i - (J/N) sum_{i&lt;j} x_i x_j (Biazzo 2023, eqs. 11-14 and SI section I.A). Every parameter is
/// analytic in (N, beta, J, h): with M_&lt;i = sum_{s&lt;i} x_s and r = N - i spins after spin i (1-based i),
/// <code>
/// logit_i = b0 + w0 M_&lt;i + ln sum_{k=0}^{r} exp(b+_{i,k} + w+_{i,k} M_&lt;i) - ln sum_{k=0}^{r} exp(b-_{i,k} + w-_{i,k} M_&lt;i)
/// b0 = 2 beta h,  w0 = 2 beta J / N,
/// b+-_{i,k} = ln C(r, k) + (beta J / 2N) (r - 2k)^2 + (r - 2k)(beta h +- beta J / N),   w+-_{i,k} = (beta J / N)(r - 2k).
/// </code>
/// The two log-sum-exp layers are ln rho+- of eq. 12, the partition functions of the r later spins in the field
/// h +- J/N + (J/N) M_&lt;i, summed over their magnetisation r - 2k with multiplicity C(r, k). Then Q = P_B exactly.
/// </summary>
/// <remarks>
/// Sign convention: the paper's printed CW_N formula has the log-sum-exp terms with the opposite signs; eq. 11
/// (logit = ... + ln rho+ - ln rho-) is the correct one and is what is implemented (checked against enumeration).
/// Parameter count: each conditional has 4(r + 1) log-sum-exp weights and biases plus the shared b0, w0, so the network
/// has 2 + 4 sum_{r=0}^{N-1} (r + 1) = 2N^2 + 2N + 2 parameters (the paper's 2N^2 + O(N)); all are fixed, none learned.
/// Evaluation: the network's only input is the integer M_&lt;i in {-(i-1), ..., i-1} (in steps of 2), so the
/// log-sum-exp layers are evaluated once for every reachable (i, M_&lt;i) when the parameters are set (O(N^3/6) work, an
/// N x N table) and every forward pass or sampling step reads its logit from that table: O(1) per spin, O(N) per sample
/// (direct evaluation of the layers would cost O(N - i) per spin and O(N^2) per sample, with identical values).
/// </remarks>
public sealed class CwN : AutoregressiveModel, IPrefixSumConditionals
{
    private readonly Tensor _bPlus, _bMinus, _wPlus, _wMinus, _valid, _table;
    private double _beta;

    /// <summary>Builds CW_N with its analytic parameters for H = -h sum x - (J/N) sum_{i&lt;j} x_i x_j at inverse temperature beta.</summary>
    public CwN(int n, double beta, double j, double h, Device? device = null, ScalarType dtype = ScalarType.Float64) : base("CW_N", n, device, dtype)
    {
        if (!double.IsFinite(beta) || beta < 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "CW_N: beta must be finite and >= 0.");
        if (!double.IsFinite(j)) throw new ArgumentOutOfRangeException(nameof(j), j, "CW_N: J must be finite.");
        if (!double.IsFinite(h)) throw new ArgumentOutOfRangeException(nameof(h), h, "CW_N: h must be finite.");
        J = j;
        H = h;
        _bPlus = zeros(n, n, dtype: DType, device: Device);
        _bMinus = zeros(n, n, dtype: DType, device: Device);
        _wPlus = zeros(n, n, dtype: DType, device: Device);
        _wMinus = zeros(n, n, dtype: DType, device: Device);
        var valid = new bool[n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k <= n - 1 - i; k++) valid[i * n + k] = true;
        _valid = tensor(valid, [n, n], device: Device);
        register_buffer("b_plus", _bPlus);
        register_buffer("b_minus", _bMinus);
        register_buffer("w_plus", _wPlus);
        register_buffer("w_minus", _wMinus);
        register_buffer("valid", _valid);
        _table = zeros(n, n, dtype: DType, device: Device);
        register_buffer("logit_table", _table, persistent: false);
        Beta = beta;
    }

    public override string Architecture => "CW_N";

    /// <summary>Coupling J of the Curie-Weiss Hamiltonian.</summary>
    public double J { get; }

    /// <summary>Uniform field h of the Curie-Weiss Hamiltonian.</summary>
    public double H { get; }

    /// <summary>Inverse temperature; setting it recomputes every analytic parameter (for annealing schedules).</summary>
    public double Beta
    {
        get => _beta;
        set
        {
            if (!double.IsFinite(value) || value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "CW_N: beta must be finite and >= 0.");
            _beta = value;
            SetAnalyticParameters();
        }
    }

    /// <summary>Shared skip-connection bias b0 = 2 beta h.</summary>
    public double B0 => 2 * _beta * H;

    /// <summary>Shared skip-connection weight w0 = 2 beta J / N.</summary>
    public double W0 => 2 * _beta * J / N;

    public override long TrainableParameterCount => 0;

    public override long FixedParameterCount
    {
        get
        {
            using var scope = NewDisposeScope();
            return 4 * _valid.sum().item<long>() + 2;
        }
    }

    /// <summary>Closed-form parameter count 2 + 4 sum_{i=1}^{N} (N - i + 1) = 2N^2 + 2N + 2 (paper: 2N^2 + O(N)).</summary>
    public static long ParameterCountFormula(int n) => 2L * n * n + 2L * n + 2;

    /// <summary>The analytic log-sum-exp biases and weights of conditional i (0-based): b+, b-, w+, w- for k = 0..N-1-i.</summary>
    public (double[] BPlus, double[] BMinus, double[] WPlus, double[] WMinus) ConditionalParameters(int i)
    {
        if ((uint)i >= (uint)N) throw new ArgumentOutOfRangeException(nameof(i), i, $"CW_N: conditional index must be in 0..{N - 1}.");
        int count = N - i;
        using var scope = NewDisposeScope();
        return (Row(_bPlus, i, count), Row(_bMinus, i, count), Row(_wPlus, i, count), Row(_wMinus, i, count));

        static double[] Row(Tensor t, int i, int count) => t[i].slice(0, 0, count, 1).cpu().data<double>().ToArray();
    }

    /// <summary>
    /// logit_i at M_&lt;i = 2c - i for 0 &lt;= c &lt;= i as an [N, N] tensor (entries with c &gt; i are unused zeros):
    /// the network evaluated at every input it can receive.
    /// </summary>
    public Tensor LogitTable() => _table.clone();

    protected override Tensor ComputeLogits(Tensor x)
    {
        // c_i = number of up spins before i = (M_<i + i) / 2; the logit of (i, c_i) sits at i N + c_i in the flat table.
        var positions = arange(N, dtype: DType, device: Device).unsqueeze(0);
        var rowOffsets = arange(N, dtype: ScalarType.Int64, device: Device).TimesInteger(N).unsqueeze(0);
        var upBefore = (x.cumsum(1) - x).Plus(positions).DividedBy(2).to_type(ScalarType.Int64);
        return _table.take(upBefore.Plus(rowOffsets));
    }

    protected override AncestralState BeginAncestralSampling(long batch) => new PrefixSumState(this, batch);

    /// <summary>logit_i as a function of the prefix sums M_&lt;i [batch].</summary>
    private Tensor ConditionalLogit(int i, Tensor prefixSum)
    {
        int count = N - i;
        var mi = prefixSum.unsqueeze(1);
        var lnRhoPlus = _bPlus[i].slice(0, 0, count, 1).Plus(_wPlus[i].slice(0, 0, count, 1) * mi).logsumexp(1);
        var lnRhoMinus = _bMinus[i].slice(0, 0, count, 1).Plus(_wMinus[i].slice(0, 0, count, 1) * mi).logsumexp(1);
        return prefixSum * W0 + B0 + lnRhoPlus - lnRhoMinus;
    }

    private void SetAnalyticParameters()
    {
        int n = N;
        var bp = new double[n * n];
        var bm = new double[n * n];
        var wp = new double[n * n];
        var wm = new double[n * n];
        double bj = _beta * J / n, bh = _beta * H;
        for (int i = 0; i < n; i++)
        {
            int r = n - 1 - i;
            double lnBinomial = 0; // ln C(r, 0)
            for (int k = 0; k <= r; k++)
            {
                if (k > 0) lnBinomial += Math.Log((double)(r - k + 1) / k);
                double m = r - 2 * k;
                double common = lnBinomial + 0.5 * bj * m * m + m * bh;
                bp[i * n + k] = common + m * bj;
                bm[i * n + k] = common - m * bj;
                wp[i * n + k] = bj * m;
                wm[i * n + k] = bj * m;
            }
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _bPlus.copy_(tensor(bp, [n, n], dtype: ScalarType.Float64));
        _bMinus.copy_(tensor(bm, [n, n], dtype: ScalarType.Float64));
        _wPlus.copy_(tensor(wp, [n, n], dtype: ScalarType.Float64));
        _wMinus.copy_(tensor(wm, [n, n], dtype: ScalarType.Float64));
        _table.zero_();
        for (int i = 0; i < n; i++)
        {
            using var step = NewDisposeScope();
            var prefixSums = arange(i + 1, dtype: DType, device: Device) * 2 - i; // M_<i = 2c - i, c = 0..i
            _table[i].slice(0, 0, i + 1, 1).copy_(ConditionalLogit(i, prefixSums));
        }
    }

    /// <summary>Carries the number of up spins so far, c = (M_&lt;i + i)/2, and reads logit_i from the table row i.</summary>
    private sealed class PrefixSumState(CwN model, long batch) : AncestralState
    {
        private readonly Tensor _upSpins = zeros(batch, dtype: ScalarType.Int64, device: model.Device);

        public override Tensor Logit(int i) => model._table[i].take(_upSpins);

        public override void Observe(int i, Tensor xi) => _upSpins.PlusInPlace(xi.GreaterThan(0).to_type(ScalarType.Int64));
    }
}
