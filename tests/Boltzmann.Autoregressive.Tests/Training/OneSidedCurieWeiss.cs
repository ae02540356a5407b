using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Training;

/// <summary>
/// A deliberately one-sided autoregressive model for the zero-field Curie-Weiss model (odd N): the exact Boltzmann
/// distribution at inverse temperature <c>betaQ</c> restricted to positive magnetisation M &gt; 0,
/// Q(x) = 2 p(x) [M(x) &gt; 0], with exact conditionals logit_i = ln Z+(S + 1, r) - ln Z+(S - 1, r), S = sum_{s&lt;i} x_s,
/// r = N - 1 - i and Z+(S, r) = sum_k C(r, k) exp(beta J (S + 2k - r)^2 / (2N)) [S + 2k - r &gt; 0]. This is what an
/// annealed network that has collapsed onto one mirror half of the Z2-symmetric distribution looks like (tests only).
/// </summary>
internal sealed class OneSidedCurieWeiss : AutoregressiveModel
{
    private readonly Tensor _table; // [N, 2N + 1]: logit of conditional i at prefix sum S (column S + N)

    public OneSidedCurieWeiss(int n, double j, double betaQ) : base("one-sided-CW", n, CPU)
    {
        if (n % 2 == 0) throw new ArgumentException("OneSidedCurieWeiss: N must be odd so that M = 0 is impossible.", nameof(n));
        var table = new double[n * (2 * n + 1)];
        for (int i = 0; i < n; i++)
        {
            int r = n - 1 - i;
            for (int s = -i; s <= i; s += 2)
            {
                double up = Z(s + 1, r), down = Z(s - 1, r);
                // Both zero: a prefix with Q = 0 already (reached only by mirrored configurations); any finite logit.
                table[i * (2 * n + 1) + s + n] = up == 0 && down == 0 ? 0.0 : Math.Log(up) - Math.Log(down);
            }
        }
        _table = tensor(table, [n, 2 * n + 1], dtype: ScalarType.Float64);
        register_buffer("table", _table);

        double Z(int s, int r)
        {
            double z = 0, binomial = 1;
            for (int k = 0; k <= r; k++)
            {
                int m = s + 2 * k - r;
                if (m > 0) z += binomial * Math.Exp(betaQ * j * m * m / (2.0 * n));
                binomial = binomial * (r - k) / (k + 1);
            }
            return z; // 0 makes the logit +-infinity: the forbidden side has Q = 0 exactly
        }
    }

    public override string Architecture => "one-sided-CW";

    public override long TrainableParameterCount => 0;

    public override long FixedParameterCount => _table.numel();

    protected override Tensor ComputeLogits(Tensor x)
    {
        var prefix = (x.cumsum(1) - x).round().to_type(ScalarType.Int64) + N;              // S + N, [b, N]
        var rows = arange(N, dtype: ScalarType.Int64).unsqueeze(0).expand_as(prefix);
        return _table.view(-1).index_select(0, (rows * (2 * N + 1) + prefix).view(-1)).view(x.shape[0], N);
    }

    protected override AncestralState BeginAncestralSampling(long batch) => new PrefixSum(this, batch);

    private sealed class PrefixSum(OneSidedCurieWeiss model, long batch) : AncestralState
    {
        private readonly Tensor _sum = zeros(batch, dtype: ScalarType.Int64);

        public override Tensor Logit(int i) => model._table[i].index_select(0, _sum + model.N);

        public override void Observe(int i, Tensor xi) => _sum.add_(xi.round().to_type(ScalarType.Int64));
    }
}
