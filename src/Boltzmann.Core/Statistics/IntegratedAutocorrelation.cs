using System.Numerics;
using System.Runtime.InteropServices;

namespace Boltzmann.Statistics;

/// <summary>
/// Integrated autocorrelation time with automatic windowing: the Gamma method of U. Wolff,
/// "Monte Carlo errors with less errors", Comput. Phys. Commun. 156 (2004) 143, which refines the
/// Madras-Sokal window (J. Stat. Phys. 50 (1988) 109).
///
/// Convention (stated once, used everywhere): tau_int = 1/2 + sum_{t=1}^{W} rho(t). For an AR(1)
/// chain with coefficient r this is (1 + r) / (2 (1 - r)), i.e. 9.5 at r = 0.9; some libraries report
/// twice this value.
///
/// Window: the first W at which g(W) = exp(-W/tau_W) - tau_W / sqrt(W n) becomes negative, with
/// tau_W = S / ln((2 tau_int(W) + 1) / (2 tau_int(W) - 1)) (Wolff eq. 52, S = 1.5 by default).
/// Error of tau_int: the Madras-Sokal approximation sigma^2 = 2 (2W + 1) tau_int^2 / n (Wolff eq. 42).
/// </summary>
public static class IntegratedAutocorrelation
{
    public static AutocorrelationResult Compute(ReadOnlySpan<double> series, double s = 1.5)
    {
        int n = series.Length;
        if (n < 2) throw new ArgumentException($"Need at least 2 samples for an autocorrelation analysis, got {n}.", nameof(series));
        if (!(s > 0)) throw new ArgumentOutOfRangeException(nameof(s), s, "The window parameter S must be positive.");

        double mean = Mean(series);
        var centred = new double[n];
        for (int i = 0; i < n; i++) centred[i] = series[i] - mean;

        double gamma0 = Autocovariance(centred, 0);
        if (!(gamma0 > 0))
            // A constant series: no fluctuations, so no autocorrelation to measure.
            return new AutocorrelationResult(0.5, 0, 0, mean, 0, n);

        int maxW = Math.Max(1, n / 2);
        var gammas = new List<double>(64) { gamma0 };
        double sumRho = 0;
        int window = maxW;
        for (int w = 1; w <= maxW; w++)
        {
            double g = Autocovariance(centred, w);
            gammas.Add(g);
            sumRho += g / gamma0;
            double tauIntW = 0.5 + sumRho;
            double tauW = tauIntW <= 0.5
                ? double.Epsilon
                : s / Math.Log((2 * tauIntW + 1) / (2 * tauIntW - 1));
            double gw = Math.Exp(-w / tauW) - tauW / Math.Sqrt((double)w * n);
            if (gw < 0) { window = w; break; }
        }

        // Bias correction of the autocovariances for the estimated mean (Wolff eq. 49):
        // Gamma(t) += C_W / n with C_W = Gamma(0) + 2 sum_{t=1}^{W} Gamma(t).
        double cw = gammas[0];
        for (int t = 1; t <= window; t++) cw += 2 * gammas[t];
        double corr = cw / n;
        double g0 = gammas[0] + corr;
        double sum = 0;
        for (int t = 1; t <= window; t++) sum += (gammas[t] + corr) / g0;
        double tauInt = Math.Max(0.5, 0.5 + sum);
        double tauErr = tauInt * Math.Sqrt(2.0 * (2 * window + 1) / n);
        return new AutocorrelationResult(tauInt, tauErr, window, mean, g0, n);
    }

    /// <summary>The mean of a correlated series with error sqrt(2 tau_int Var / n).</summary>
    public static Estimate Estimate(ReadOnlySpan<double> series, double s = 1.5)
    {
        var r = Compute(series, s);
        return new Estimate(r.Mean, r.StdErrorOfMean, r.TauInt, r.TauIntError, r.Count);
    }

    internal static double Mean(ReadOnlySpan<double> x)
    {
        // Pairwise-free compensated sum: Neumaier, so long series do not lose digits.
        double sum = 0, c = 0;
        foreach (double v in x)
        {
            double t = sum + v;
            c += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }
        return (sum + c) / x.Length;
    }

    /// <summary>Gamma(t) = 1/(n-t) sum_i x_i x_{i+t} for a centred series (SIMD dot product).</summary>
    private static double Autocovariance(double[] centred, int t)
    {
        int len = centred.Length - t;
        var a = centred.AsSpan(0, len);
        var b = centred.AsSpan(t, len);
        double acc = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && len >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            var vacc = Vector<double>.Zero;
            for (int k = 0; k < va.Length; k++) vacc += va[k] * vb[k];
            acc = Vector.Sum(vacc);
            i = va.Length * Vector<double>.Count;
        }
        for (; i < len; i++) acc += a[i] * b[i];
        return acc / len;
    }
}
