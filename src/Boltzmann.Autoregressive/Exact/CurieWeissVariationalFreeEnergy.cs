using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Exact;

/// <summary>
/// Exact variational free energy on the Curie-Weiss model H = -h sum x - (J/N) sum_{i&lt;j} x_i x_j for models whose
/// conditionals depend on the prefix only through M_&lt;i = sum_{s&lt;i} x_s (<see cref="IPrefixSumConditionals"/>:
/// CW_N, CW_inf, 1P). Such a Q is a Markov chain on (i, M_&lt;i), and H depends on x only through M = M_&lt;N+1, so
/// <code>
/// S[Q]   = -sum_i sum_M p_i(M) [q ln q + (1-q) ln(1-q)],  q = Q(x_i = +1 | M_&lt;i = M) = sigma(logit_i(M)),
/// E_Q[H] = sum_M p_N(M) (-h M - (J/2N)(M^2 - N)),
/// p_{i+1}(M +- 1) += p_i(M) q(+-),  p_0(0) = 1,
/// </code>
/// an O(N^2) dynamic programme over magnetisation classes. This gives the paper's Fig. 4 quantity (relative error of
/// the variational free energy, Biazzo 2023 section IV) without sampling noise. The logits come from the model itself:
/// one teacher-forced pass over the N "staircase" configurations (+1)^a (-1)^(N-a), a = 0..N-1: the prefix of length i
/// of staircase a = c &lt;= i has sum 2c - i, so together they visit every reachable (i, M_&lt;i).
/// </summary>
public static class CurieWeissVariationalFreeEnergy
{
    public static ExactVariationalFreeEnergy Compute(AutoregressiveModel model, double beta, double j, double h)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not IPrefixSumConditionals)
            throw new ArgumentException(
                $"{model.Architecture}: the exact Curie-Weiss variational free energy needs conditionals that depend only on the prefix sum (CW_N, CW_inf, 1P).",
                nameof(model));
        if (!double.IsFinite(beta) || beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and > 0.");
        if (!double.IsFinite(j)) throw new ArgumentOutOfRangeException(nameof(j), j, "J must be finite.");
        if (!double.IsFinite(h)) throw new ArgumentOutOfRangeException(nameof(h), h, "h must be finite.");

        int n = model.N;
        var logits = StaircaseLogits(model); // [a, i] row-major, a = 0..N-1
        var p = new double[n + 1];           // p[(M + i) / 2] at step i
        var next = new double[n + 1];
        p[0] = 1.0;
        double minusEntropy = 0;
        for (int i = 0; i < n; i++)
        {
            Array.Clear(next, 0, i + 2);
            for (int c = 0; c <= i; c++)
            {
                double pm = p[c];
                if (pm == 0) continue;
                double logit = logits[c * n + i]; // staircase a = c has the prefix (+1)^c (-1)^(i-c), i.e. M_<i = 2c - i
                double lnQPlus = LogSigmoid(logit), lnQMinus = LogSigmoid(-logit);
                double qPlus = Math.Exp(lnQPlus), qMinus = Math.Exp(lnQMinus);
                minusEntropy += pm * (qPlus * lnQPlus + qMinus * lnQMinus);
                next[c + 1] += pm * qPlus;
                next[c] += pm * qMinus;
            }
            (p, next) = (next, p);
        }

        double energy = 0;
        for (int c = 0; c <= n; c++)
        {
            double m = 2 * c - n;
            energy += p[c] * (-h * m - j / (2.0 * n) * (m * m - n));
        }
        double entropy = -minusEntropy;
        return new ExactVariationalFreeEnergy(energy - entropy / beta, energy, entropy, p);
    }

    private static double[] StaircaseLogits(AutoregressiveModel model)
    {
        int n = model.N;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = arange(n, dtype: ScalarType.Int64, device: model.Device).unsqueeze(1);
        var s = arange(n, dtype: ScalarType.Int64, device: model.Device).unsqueeze(0);
        var staircase = where(s.lt(a), 1.0, -1.0).to_type(ScalarType.Float64);
        return model.Logits(staircase).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary>ln sigma(z) = -ln(1 + e^-z), without overflow and accurate when e^-|z| is tiny.</summary>
    private static double LogSigmoid(double z) => z >= 0 ? -Log1PlusSmall(Math.Exp(-z)) : z - Log1PlusSmall(Math.Exp(z));

    /// <summary>ln(1 + t) for 0 &lt;= t &lt;= 1, by its series when t is small (where 1 + t would round).</summary>
    private static double Log1PlusSmall(double t) => t < 1e-5 ? t * (1 - t * (0.5 - t / 3)) : Math.Log(1 + t);
}
