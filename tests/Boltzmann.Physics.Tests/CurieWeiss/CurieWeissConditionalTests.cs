using Boltzmann.Physics.CurieWeiss;

namespace Boltzmann.Physics.Tests.CurieWeiss;

/// <summary>
/// The exact autoregressive conditionals P(x_{t+1} = +1 | x_1..x_t) against marginals of the brute-force enumeration
/// for every prefix (N &lt;= 10), against Biazzo's eqs. 11-14 written out, and the O(N^2) table against the O(N) form.
/// </summary>
public class CurieWeissConditionalTests
{
    /// <summary>Biazzo main text eqs. 11-14: logit = 2 beta h + 2 beta J M_&lt;/N + ln rho^+ - ln rho^-,
    /// rho^+- = sum_{k=0}^{r} exp(b^+-_k + w_k M_&lt;), r = N - i (i = t + 1 the 1-based index of the new spin).</summary>
    private static double PaperLogit(int n, double beta, double j, double h, int t, int up)
    {
        int r = n - t - 1;
        int mPrefix = 2 * up - t;
        double LogRho(double sign)
        {
            var terms = new double[r + 1];
            for (int k = 0; k <= r; k++)
            {
                int mr = r - 2 * k;
                double b = CurieWeissBinomial.LnBinomial(r, k) + beta * j / (2.0 * n) * mr * mr + mr * (beta * h + sign * beta * j / n);
                double w = beta * j / n * mr;
                terms[k] = b + w * mPrefix;
            }
            double max = terms.Max();
            return max + Math.Log(terms.Sum(v => Math.Exp(v - max)));
        }
        return 2 * beta * h + 2 * beta * j * mPrefix / n + LogRho(+1) - LogRho(-1);
    }

    [Theory]
    [InlineData(1, 0.8, 1.0, 0.2)]
    [InlineData(3, 1.0, 1.0, 0.0)]
    [InlineData(7, 1.6, 1.0, 0.1)]
    [InlineData(10, 0.5, 1.0, -0.3)]
    [InlineData(10, 2.5, 1.0, 0.0)]
    [InlineData(9, 1.2, -1.0, 0.25)]
    public void Conditionals_match_enumeration_marginals_for_every_prefix(int n, double beta, double j, double h)
    {
        var cw = new CurieWeissExact(n, beta, j, h);
        var bf = new CurieWeissBruteForce(n, beta, j, h);
        var table = cw.ConditionalLogitTable();
        Assert.Equal(n, table.Length);
        var logChain = new double[bf.Probabilities.Length];
        for (int t = 0; t < n; t++)
        {
            Assert.Equal(t + 1, table[t].Length);
            int mask = (1 << t) - 1;
            var upMass = new double[1 << t];
            var downMass = new double[1 << t];
            for (int c = 0; c < bf.Probabilities.Length; c++)
            {
                if (((c >> t) & 1) == 1) upMass[c & mask] += bf.Probabilities[c];
                else downMass[c & mask] += bf.Probabilities[c];
            }
            for (int q = 0; q <= mask; q++)
            {
                var prefix = new sbyte[t];
                for (int i = 0; i < t; i++) prefix[i] = (sbyte)(((q >> i) & 1) == 1 ? 1 : -1);
                int up = prefix.Count(v => v == 1);
                double pUp = upMass[q] / (upMass[q] + downMass[q]);
                double logit = Math.Log(upMass[q]) - Math.Log(downMass[q]);
                string at = $"N={n} beta={beta} J={j} h={h} t={t} prefix={q}";
                Assert.True(Math.Abs(cw.ConditionalProbabilityUp(prefix) - pUp) <= 1e-12, $"P(up|prefix) {at}: {cw.ConditionalProbabilityUp(prefix):R} vs {pUp:R}");
                Assert.True(Math.Abs(cw.ConditionalLogit(t, up) - logit) <= 1e-10, $"logit {at}");
                Assert.True(Math.Abs(table[t][up] - logit) <= 1e-10, $"table logit {at}: {table[t][up]:R} vs {logit:R}");
                Assert.True(Math.Abs(PaperLogit(n, beta, j, h, t, up) - logit) <= 1e-10, $"Biazzo eqs. 11-14 {at}: {PaperLogit(n, beta, j, h, t, up):R} vs {logit:R}");
                Assert.True(Math.Abs(cw.LogPrefixProbability(t, up) - Math.Log(upMass[q] + downMass[q])) <= 1e-11, $"ln P(prefix) {at}");
            }
            // Accumulate the autoregressive log-likelihood of every configuration.
            for (int c = 0; c < bf.Probabilities.Length; c++)
            {
                int up = CountBits(c & mask);
                double p = cw.ConditionalProbabilityUp(t, up);
                logChain[c] += ((c >> t) & 1) == 1 ? Math.Log(p) : Math.Log(1 - p);
            }
        }
        for (int c = 0; c < bf.Probabilities.Length; c++)
            Assert.True(Math.Abs(logChain[c] - Math.Log(bf.Probabilities[c])) <= 1e-10, $"prod_t P(x_t|x_<t) = P(x) for configuration {c}");
        Assert.Equal(0.0, cw.LogPrefixProbability(0, 0), 12);
    }

    private static int CountBits(int v) => System.Numerics.BitOperations.PopCount((uint)v);

    [Theory]
    [InlineData(300, 1.3, 1.0, 0.0)]
    [InlineData(257, 0.7, 1.0, 0.2)]
    [InlineData(200, 1.0, -1.0, 0.1)]
    public void Table_recursion_matches_direct_sums(int n, double beta, double j, double h)
    {
        var cw = new CurieWeissExact(n, beta, j, h);
        var table = cw.ConditionalLogitTable();
        for (int t = 0; t < n; t += 7)
            for (int u = 0; u <= t; u += Math.Max(1, t / 9))
            {
                double direct = cw.ConditionalLogit(t, u);
                Assert.True(Math.Abs(table[t][u] - direct) <= 1e-10 * Math.Max(1, Math.Abs(direct)), $"t={t} u={u}: table {table[t][u]:R} vs direct {direct:R}");
                if (t % 35 == 0)
                    Assert.True(Math.Abs(PaperLogit(n, beta, j, h, t, u) - direct) <= 1e-9 * Math.Max(1, Math.Abs(direct)), $"Biazzo eqs. 11-14 t={t} u={u}");
            }
        // Last spin: one remaining configuration, so the logit is the exact energy difference.
        int last = n - 1;
        double mPrefix = 2.0 * (last / 2) - last;
        double expected = 2 * beta * h + 2 * beta * j * mPrefix / n;
        Assert.Equal(expected, table[last][last / 2], 10);
    }
}
