namespace Boltzmann.Statistics;

/// <summary>
/// Error of the mean of a correlated series from the spread of contiguous bin means. With bins much
/// longer than tau_int the bin means are nearly independent, so the naive error of the bin means is
/// honest. The implied tau_int = (sigma_bin^2 / sigma_naive^2) / 2 is reported (no error on it: NaN).
/// </summary>
public static class Binning
{
    public static Estimate Mean(ReadOnlySpan<double> series, int bins = 32)
    {
        int n = series.Length;
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, "Binning needs at least 2 bins.");
        if (n < bins) throw new ArgumentException($"Cannot form {bins} bins from {n} samples.", nameof(series));
        int len = n / bins;
        // Drop the oldest remainder samples so every bin has the same length (the latest data is kept).
        var used = series[(n - len * bins)..];
        double mean = IntegratedAutocorrelation.Mean(used);
        double ssBins = 0, ssAll = 0;
        for (int b = 0; b < bins; b++)
        {
            double m = IntegratedAutocorrelation.Mean(used.Slice(b * len, len)) - mean;
            ssBins += m * m;
        }
        foreach (double v in used) ssAll += (v - mean) * (v - mean);
        double errBin = Math.Sqrt(ssBins / (bins * (bins - 1.0)));
        double count = used.Length;
        double errNaive = Math.Sqrt(ssAll / (count * (count - 1)));
        double tau = errNaive > 0 ? 0.5 * (errBin * errBin) / (errNaive * errNaive) : 0.5;
        return new Estimate(mean, errBin, tau, double.NaN, used.Length);
    }
}
