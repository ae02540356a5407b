namespace Boltzmann.Statistics;

/// <summary>
/// The Gamma method over R replicas (independent chains of the same process) with one common mean (U. Wolff,
/// "Monte Carlo errors with less errors", Comput. Phys. Commun. 156 (2004) 143, eqs. 31 and 49):
/// <code>  Γ(t) = Σ_r Σ_{i ≤ N_r − t} (a_{r,i} − ā)(a_{r,i+t} − ā) / Σ_r (N_r − t),  ā = the mean over all replicas,  </code>
/// with the automatic window of <see cref="IntegratedAutocorrelation"/> (same S, Sokal convention τ_int = ½ + Σ ρ)
/// and the Madras–Sokal error with N = Σ N_r. Unlike averaging per-chain analyses, replicas stuck at different
/// values (e.g. frozen topological sectors, each chain constant) are not "independent samples": the spread of the
/// replica means enters Γ(t) at every lag, so τ_int grows to the chain length instead of collapsing to ½.
/// </summary>
public static class ReplicaAutocorrelation
{
    public static AutocorrelationResult Compute(IReadOnlyList<double[]> replicas, double s = 1.5)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        if (replicas.Count == 0) throw new ArgumentException("Need at least one replica.", nameof(replicas));
        long total = 0;
        double sum = 0;
        int shortest = int.MaxValue;
        foreach (var r in replicas)
        {
            foreach (double v in r) sum += v;
            total += r.Length;
            shortest = Math.Min(shortest, r.Length);
        }
        if (shortest < 2) throw new ArgumentException("Every replica needs at least 2 samples.", nameof(replicas));
        double mean = sum / total;

        double Gamma(int t)
        {
            double acc = 0;
            long pairs = 0;
            foreach (var r in replicas)
            {
                for (int i = 0; i + t < r.Length; i++) acc += (r[i] - mean) * (r[i + t] - mean);
                pairs += Math.Max(0, r.Length - t);
            }
            return pairs > 0 ? acc / pairs : 0;
        }

        double g0 = Gamma(0);
        if (!(g0 > 0)) return new AutocorrelationResult(0.5, 0, 0, mean, 0, total);
        var gammas = new List<double> { g0 };
        int maxLag = Math.Max(1, shortest / 2);
        int window = maxLag;
        double running = 0.5;
        for (int t = 1; t <= maxLag; t++)
        {
            double gt = Gamma(t);
            gammas.Add(gt);
            running += gt / g0;
            // Wolff eq. 52: stop at the first W where exp(−W/τ_W) − τ_W/√(W N) < 0.
            double tauW = running <= 0.5 ? double.Epsilon : s / Math.Log((2 * running + 1) / (2 * running - 1));
            if (Math.Exp(-t / tauW) - tauW / Math.Sqrt((double)t * total) < 0) { window = t; break; }
        }
        double cw = gammas[0];
        for (int t = 1; t <= window; t++) cw += 2 * gammas[t];
        double bias = cw / total;              // Wolff eq. 49, for the estimated common mean
        double variance = gammas[0] + bias;
        double tau = 0.5;
        for (int t = 1; t <= window; t++) tau += (gammas[t] + bias) / variance;
        tau = Math.Max(0.5, tau);
        return new AutocorrelationResult(tau, tau * Math.Sqrt(2.0 * (2 * window + 1) / total), window, mean, variance, total);
    }

    /// <summary>The common mean with error √(2 τ_int Var / N) as an <see cref="Statistics.Estimate"/>.</summary>
    public static Estimate Estimate(IReadOnlyList<double[]> replicas, double s = 1.5)
    {
        var r = Compute(replicas, s);
        return new Estimate(r.Mean, r.StdErrorOfMean, r.TauInt, r.TauIntError, r.Count);
    }
}
