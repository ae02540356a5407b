using Boltzmann.Physics.Sk;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// Brute-force references, independent of the models: every configuration of N spins (x_0 is the most significant
/// bit of the configuration index, so configurations sharing a prefix form contiguous blocks), its energy from the
/// pairwise Hamiltonian, exact Boltzmann conditionals from block marginals, and the Curie-Weiss ln Z as a binomial sum.
/// </summary>
internal static class ExactReference
{
    public static double Spin(long configuration, int n, int s) => ((configuration >> (n - 1 - s)) & 1) == 1 ? 1.0 : -1.0;

    public static double[] Configurations(int n)
    {
        long count = 1L << n;
        var x = new double[count * n];
        for (long c = 0; c < count; c++)
            for (int s = 0; s < n; s++) x[c * n + s] = Spin(c, n, s);
        return x;
    }

    public static Tensor ConfigurationTensor(int n) => tensor(Configurations(n), [1L << n, n], dtype: ScalarType.Float64);

    /// <summary>H(x) = -sum_{i&lt;j} J_ij x_i x_j - sum_i h_i x_i, by explicit double loops.</summary>
    public static double Energy(SkInstance instance, ReadOnlySpan<double> x)
    {
        int n = instance.N;
        double e = 0;
        for (int i = 0; i < n; i++)
        {
            e -= instance.Fields[i] * x[i];
            for (int j = i + 1; j < n; j++) e -= instance.J(i, j) * x[i] * x[j];
        }
        return e;
    }

    public static double[] Energies(SkInstance instance)
    {
        int n = instance.N;
        var all = Configurations(n);
        var e = new double[1L << n];
        for (long c = 0; c < e.Length; c++) e[c] = Energy(instance, all.AsSpan((int)(c * n), n));
        return e;
    }

    public static double LogSumExp(ReadOnlySpan<double> v)
    {
        double max = double.NegativeInfinity;
        foreach (var a in v) max = Math.Max(max, a);
        if (double.IsNegativeInfinity(max)) return max;
        double s = 0;
        foreach (var a in v) s += Math.Exp(a - max);
        return max + Math.Log(s);
    }

    public static double LnZ(SkInstance instance, double beta)
    {
        var e = Energies(instance);
        var w = new double[e.Length];
        for (int c = 0; c < e.Length; c++) w[c] = -beta * e[c];
        return LogSumExp(w);
    }

    /// <summary>
    /// Exact ln P(x_i = +1 | x_&lt;i) - ln P(x_i = -1 | x_&lt;i) of the Boltzmann distribution for every configuration and
    /// every i, as [2^N * N] row-major, from marginals over the suffixes (block log-sum-exp over the configuration tree).
    /// </summary>
    public static double[] ConditionalLogits(SkInstance instance, double beta)
    {
        int n = instance.N;
        var e = Energies(instance);
        var levels = new double[n + 1][];
        levels[n] = new double[e.Length];
        for (int c = 0; c < e.Length; c++) levels[n][c] = -beta * e[c];
        for (int len = n - 1; len >= 0; len--)
        {
            levels[len] = new double[1L << len];
            for (int b = 0; b < levels[len].Length; b++)
                levels[len][b] = LogSumExp([levels[len + 1][2 * b], levels[len + 1][2 * b + 1]]);
        }
        var logits = new double[e.Length * n];
        for (long c = 0; c < e.Length; c++)
            for (int i = 0; i < n; i++)
            {
                long prefix = c >> (n - i);
                logits[c * n + i] = levels[i + 1][2 * prefix + 1] - levels[i + 1][2 * prefix];
            }
        return logits;
    }

    /// <summary>
    /// Curie-Weiss ln Z for H = -h sum x - (J/N) sum_{i&lt;j} x_i x_j: sum over k spins down, M = N - 2k,
    /// sum_{i&lt;j} x_i x_j = (M^2 - N)/2, multiplicity C(N, k).
    /// </summary>
    public static double CurieWeissLnZ(int n, double beta, double j, double h)
    {
        var terms = new double[n + 1];
        double lnBinomial = 0;
        for (int k = 0; k <= n; k++)
        {
            if (k > 0) lnBinomial += Math.Log(n - k + 1) - Math.Log(k);
            double m = n - 2 * k;
            terms[k] = lnBinomial + beta * h * m + beta * j / n * (m * m - n) / 2;
        }
        return LogSumExp(terms);
    }

    public static double CurieWeissEnergy(ReadOnlySpan<double> x, double j, double h)
    {
        double m = 0;
        foreach (var s in x) m += s;
        return -h * m - j / x.Length * (m * m - x.Length) / 2;
    }
}
