using Boltzmann.Statistics;

namespace Boltzmann.Autoregressive.Likelihood;

/// <summary>
/// Compares learned first-layer weights with the couplings of the Hamiltonian (Biazzo 2023, Fig. 6: "the absolute
/// values of weights of the first layer of a SK_1RSB vs the absolute values of the coupling parameters", with "the fit"
/// line). Errors: delete-one-block jackknife over the pairs, the pairs dealt to B blocks in turn (pair p to block p mod
/// B, so every block spans all rows of the matrix); each leave-one-block-out statistic is recomputed from scratch
/// (ranks included), error = sqrt((B-1)/B sum_b (f_b - mean f)^2).
/// </summary>
public static class CouplingRecovery
{
    /// <summary>Default number of jackknife blocks.</summary>
    public const int DefaultBlocks = 32;

    /// <summary>
    /// Compares the strict upper triangles of two row-major N x N matrices: <paramref name="weights"/> (W) against
    /// <paramref name="couplings"/> (J).
    /// </summary>
    public static CouplingRecoveryResult Compare(ReadOnlySpan<double> weights, ReadOnlySpan<double> couplings, int n, int blocks = DefaultBlocks)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "N must be >= 2 (at least one pair).");
        if (weights.Length != n * n) throw new ArgumentException($"weights must have N^2 = {n * n} entries, got {weights.Length}.", nameof(weights));
        if (couplings.Length != n * n) throw new ArgumentException($"couplings must have N^2 = {n * n} entries, got {couplings.Length}.", nameof(couplings));
        int pairs = n * (n - 1) / 2;
        var w = new double[pairs];
        var j = new double[pairs];
        for (int a = 0, p = 0; a < n; a++)
            for (int b = a + 1; b < n; b++, p++)
            {
                w[p] = weights[a * n + b];
                j[p] = couplings[a * n + b];
            }
        return ComparePairs(w, j, blocks);
    }

    /// <summary>Compares paired values W_p (weights) and J_p (couplings), p = 0..pairs-1.</summary>
    public static CouplingRecoveryResult ComparePairs(IReadOnlyList<double> weights, IReadOnlyList<double> couplings, int blocks = DefaultBlocks)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(couplings);
        int m = weights.Count;
        if (couplings.Count != m) throw new ArgumentException($"{m} weights but {couplings.Count} couplings.", nameof(couplings));
        if (m < 3) throw new ArgumentException($"At least 3 pairs are needed for a correlation with an error, got {m}.", nameof(weights));
        for (int p = 0; p < m; p++)
            if (!double.IsFinite(weights[p]) || !double.IsFinite(couplings[p]))
                throw new ArgumentException($"Pair {p}: weight {weights[p]} and coupling {couplings[p]} must be finite.", nameof(weights));
        int b = Math.Min(blocks, m);
        if (b < 2) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "The jackknife needs at least 2 blocks.");

        var absW = weights.Select(Math.Abs).ToArray();
        var absJ = couplings.Select(Math.Abs).ToArray();
        var signedW = weights.ToArray();
        var signedJ = couplings.ToArray();
        return new CouplingRecoveryResult(
            m,
            Jackknifed(absJ, absW, b, Pearson),
            Jackknifed(absJ, absW, b, Spearman),
            Jackknifed(signedJ, signedW, b, Pearson),
            Jackknifed(absJ, absW, b, (x, y) => Fit(x, y).Slope),
            Jackknifed(absJ, absW, b, (x, y) => Fit(x, y).Intercept));
    }

    /// <summary>Pearson correlation coefficient r = cov(x, y) / (sd x sd y) (NaN if either is constant).</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int m = x.Length;
        double mx = 0, my = 0;
        for (int k = 0; k < m; k++) { mx += x[k]; my += y[k]; }
        mx /= m;
        my /= m;
        double sxx = 0, syy = 0, sxy = 0;
        for (int k = 0; k < m; k++)
        {
            double dx = x[k] - mx, dy = y[k] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    /// <summary>Spearman rank correlation: Pearson of the ranks (ties get their average rank).</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Pearson(Ranks(x), Ranks(y));

    /// <summary>Ordinary least squares y = intercept + slope x.</summary>
    public static (double Slope, double Intercept) Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int m = x.Length;
        double mx = 0, my = 0;
        for (int k = 0; k < m; k++) { mx += x[k]; my += y[k]; }
        mx /= m;
        my /= m;
        double sxx = 0, sxy = 0;
        for (int k = 0; k < m; k++)
        {
            sxx += (x[k] - mx) * (x[k] - mx);
            sxy += (x[k] - mx) * (y[k] - my);
        }
        double slope = sxx > 0 ? sxy / sxx : double.NaN;
        return (slope, my - slope * mx);
    }

    /// <summary>Average ranks 1..m of the entries of <paramref name="v"/>.</summary>
    public static double[] Ranks(ReadOnlySpan<double> v)
    {
        int m = v.Length;
        var order = new int[m];
        for (int k = 0; k < m; k++) order[k] = k;
        var copy = v.ToArray();
        Array.Sort(order, (a, c) => copy[a].CompareTo(copy[c]));
        var ranks = new double[m];
        for (int start = 0; start < m;)
        {
            int end = start;
            while (end + 1 < m && copy[order[end + 1]] == copy[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    private delegate double PairStatistic(ReadOnlySpan<double> x, ReadOnlySpan<double> y);

    private static Estimate Jackknifed(double[] x, double[] y, int blocks, PairStatistic statistic)
    {
        int m = x.Length;
        double full = statistic(x, y);
        var fb = new double[blocks];
        var xs = new double[m];
        var ys = new double[m];
        for (int b = 0; b < blocks; b++)
        {
            int kept = 0;
            for (int p = 0; p < m; p++)
            {
                if (p % blocks == b) continue;
                xs[kept] = x[p];
                ys[kept] = y[p];
                kept++;
            }
            fb[b] = statistic(xs.AsSpan(0, kept), ys.AsSpan(0, kept));
        }
        double mean = fb.Average();
        double ss = 0;
        foreach (double f in fb) ss += (f - mean) * (f - mean);
        return new Estimate(full, Math.Sqrt((blocks - 1.0) / blocks * ss), double.NaN, double.NaN, m);
    }
}
