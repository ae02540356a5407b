using System.Buffers;
using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Effective sample size of importance sampling, always reported as the fraction ESS/N in (0, 1]
/// (the "effective sampling ratio" of Nicoli's 2024 talk); multiply by N for a number of samples.
/// <para>
/// Convention: with normalised weights w = p/q (E_q[w] = 1), ESS/N = 1 / E_q[w^2] = 1 / (1 + chi^2(p||q)).
/// Both directions estimate this same population quantity when q covers the support of p:
/// </para>
/// <list type="bullet">
/// <item><b>Reverse</b> (samples of q): (sum_i w~_i)^2 / (N sum_i w~_i^2) (Kish's formula; Nicoli et al.).
/// It is blind to regions q never visits, so a mode-dropping q can show a high reverse ESS.</item>
/// <item><b>Forward</b> (samples of p, e.g. parallel tempering): 1 / (E_p[w~] E_p[1/w~]). Since
/// E_p[1/w~] = 1/Z and E_p[w~] = Z E_q[w^2] the unknown Z cancels; a mode-dropping q makes E_p[w~] large
/// and the forward ESS small, which is why it is the honest diagnostic (physics notes; Nicoli 2024).</item>
/// </list>
/// Errors are delta-method errors of the ratio of means (tau_int-corrected for Markov-chain samples of p).
/// They assume finite fourth moments of w and are optimistic when the weights are heavy-tailed.
/// </summary>
public static class EffectiveSampleSize
{
    /// <summary>Reverse ESS/N from independent samples of q: (sum w~)^2 / (N sum w~^2).</summary>
    public static Estimate Reverse(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ)
    {
        SampleValidation.ModelSamples(logTarget, logQ);
        int n = logQ.Length;
        var lw = ArrayPool<double>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++) lw[i] = logTarget[i] - logQ[i];
            return FromLogWeights(lw.AsSpan(0, n));
        }
        finally { ArrayPool<double>.Shared.Return(lw); }
    }

    /// <summary>
    /// Forward ESS/N from samples of p: 1 / (E_p[w~] E_p[1/w~]). A sample of p where q = 0 (ln q = -inf)
    /// makes E_p[w~] infinite: the result is then exactly 0 with error 0.
    /// </summary>
    public static Estimate Forward(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, SampleDependence dependence = SampleDependence.MarkovChain)
    {
        SampleValidation.TargetSamples(logTarget, logQ);
        int n = logQ.Length;
        var lw = ArrayPool<double>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++) lw[i] = logTarget[i] - logQ[i];
            return ForwardFromLogWeights(lw.AsSpan(0, n), dependence);
        }
        finally { ArrayPool<double>.Shared.Return(lw); }
    }

    /// <summary>Reverse ESS/N from log weights of independent samples of q.</summary>
    internal static Estimate FromLogWeights(ReadOnlySpan<double> logWeights)
    {
        int n = logWeights.Length;
        var pool = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            var s = pool.AsSpan(0, n);
            var y = pool.AsSpan(n, n);
            double m = ImportanceWeights.Scaled(logWeights, s);
            if (double.IsNegativeInfinity(m))
                throw new ArgumentException("Every importance weight is zero: no sample of q lies in the support of p.", nameof(logWeights));
            double a = IntegratedAutocorrelation.Mean(s);
            double b = 0;
            foreach (double v in s) b += v * v;
            b /= n;
            double r = Math.Min(1.0, a * a / b);
            // d(a^2/b) = (2a/b) da - (a^2/b^2) db, with a = mean s, b = mean s^2.
            double ga = 2 * a / b, gb = -a * a / (b * b);
            for (int i = 0; i < n; i++) y[i] = ga * s[i] + gb * s[i] * s[i];
            var (se, tau, tauErr) = DeltaMethod.ErrorOfMean(y, SampleDependence.Independent);
            return new Estimate(r, se, tau, tauErr, n);
        }
        finally { ArrayPool<double>.Shared.Return(pool); }
    }

    /// <summary>Forward ESS/N from log weights of samples of p (entries may be +inf where q = 0).</summary>
    internal static Estimate ForwardFromLogWeights(ReadOnlySpan<double> logWeights, SampleDependence dependence)
    {
        int n = logWeights.Length;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in logWeights)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (double.IsPositiveInfinity(max)) return new Estimate(0, 0, double.NaN, double.NaN, n);

        var pool = ArrayPool<double>.Shared.Rent(3 * n);
        try
        {
            var s = pool.AsSpan(0, n);
            var t = pool.AsSpan(n, n);
            var y = pool.AsSpan(2 * n, n);
            // s = w~ e^{-max}, t = (1/w~) e^{min}: both in (0, 1], so neither side overflows.
            for (int i = 0; i < n; i++)
            {
                s[i] = Math.Exp(logWeights[i] - max);
                t[i] = Math.Exp(min - logWeights[i]);
            }
            double a = IntegratedAutocorrelation.Mean(s);
            double c = IntegratedAutocorrelation.Mean(t);
            double r = Math.Min(1.0, Math.Exp(min - max) / (a * c));
            // d(K / (a c)) = -r (da / a + dc / c).
            for (int i = 0; i < n; i++) y[i] = -r * (s[i] / a + t[i] / c);
            var (se, tau, tauErr) = DeltaMethod.ErrorOfMean(y, dependence);
            return new Estimate(r, se, tau, tauErr, n);
        }
        finally { ArrayPool<double>.Shared.Return(pool); }
    }
}
