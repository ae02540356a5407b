namespace Boltzmann.Statistics;

/// <summary>
/// Blocked jackknife for a function of several means, e.g. the specific heat
/// C = beta^2 (&lt;E^2&gt; - &lt;E&gt;^2) / N from the columns E and E^2. Blocks are contiguous, so
/// autocorrelation shorter than a block is accounted for. Error: sqrt((B-1)/B sum_b (f_b - f_mean)^2)
/// over the B leave-one-block-out estimates f_b. The reported mean is the bias-corrected
/// B f_all - (B-1) f_mean, which removes the O(1/n) bias of non-linear statistics.
/// </summary>
public static class Jackknife
{
    public static Estimate Estimate(IReadOnlyList<double[]> columns, Func<double[], double> statistic, int blocks = 32)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(statistic);
        if (columns.Count == 0) throw new ArgumentException("Jackknife needs at least one column.", nameof(columns));
        int n = columns[0].Length;
        foreach (var c in columns)
            if (c.Length != n) throw new ArgumentException("All jackknife columns must have the same length.", nameof(columns));
        if (blocks < 2) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "Jackknife needs at least 2 blocks.");
        if (n < blocks) throw new ArgumentException($"Cannot form {blocks} jackknife blocks from {n} samples.", nameof(columns));

        int len = n / blocks;
        int start = n - len * blocks;
        int k = columns.Count;
        var blockSums = new double[blocks, k];
        var total = new double[k];
        for (int j = 0; j < k; j++)
        {
            var col = columns[j];
            for (int b = 0; b < blocks; b++)
            {
                double s = 0;
                for (int i = start + b * len, e = i + len; i < e; i++) s += col[i];
                blockSums[b, j] = s;
                total[j] += s;
            }
        }
        double used = len * blocks;
        var means = new double[k];
        for (int j = 0; j < k; j++) means[j] = total[j] / used;
        double fAll = statistic(means);

        var fb = new double[blocks];
        var leaveOut = new double[k];
        double fMean = 0;
        for (int b = 0; b < blocks; b++)
        {
            for (int j = 0; j < k; j++) leaveOut[j] = (total[j] - blockSums[b, j]) / (used - len);
            fb[b] = statistic(leaveOut);
            fMean += fb[b];
        }
        fMean /= blocks;
        double ss = 0;
        foreach (double f in fb) ss += (f - fMean) * (f - fMean);
        double err = Math.Sqrt((blocks - 1.0) / blocks * ss);
        double corrected = blocks * fAll - (blocks - 1) * fMean;
        return new Estimate(corrected, err, double.NaN, double.NaN, (long)used);
    }
}
