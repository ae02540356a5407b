using System.Buffers;
using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Expectation values under the target p from independent samples of q, reweighted:
/// &lt;O&gt;_p = E_q[w O] / E_q[w] estimated by the self-normalised sum_i w~_i O_i / sum_i w~_i
/// (Nicoli et al. PRE 101, 023304 (2020), "asymptotically unbiased estimation of physical observables";
/// the unknown Z cancels in the ratio).
/// <para>
/// Error (delta method for a ratio of means): Var(O^) = (1/N) E_q[w~^2 (O - &lt;O&gt;)^2] / E_q[w~]^2, estimated
/// from the samples. The ratio has an O(1/N) bias of its own; it is below the error for ESS·N &gt;&gt; 1.
/// The estimate only sees regions q visits: a mode-dropping q gives a biased value with a small error
/// (Nicoli 2024, "the mode-dropping estimator"); check the forward ESS when samples of p exist.
/// </para>
/// </summary>
public static class ImportanceWeightedObservable
{
    /// <summary>
    /// Self-normalised importance-sampling mean of <paramref name="values"/> (O(x_i) for x_i ~ q).
    /// TauInt is 1/2 (independent samples of q); Count is N, not the ESS.
    /// </summary>
    public static Estimate Mean(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, ReadOnlySpan<double> values)
    {
        SampleValidation.ModelSamples(logTarget, logQ);
        int n = logQ.Length;
        SampleValidation.Values(values, n, nameof(values));
        var pool = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            var s = pool.AsSpan(0, n);
            var y = pool.AsSpan(n, n);
            for (int i = 0; i < n; i++) y[i] = logTarget[i] - logQ[i];
            double m = ImportanceWeights.Scaled(y, s);
            if (double.IsNegativeInfinity(m))
                throw new ArgumentException("Every importance weight is zero: no sample of q lies in the support of p.", nameof(logTarget));
            double sw = 0, swo = 0;
            for (int i = 0; i < n; i++)
            {
                sw += s[i];
                swo += s[i] * values[i];
            }
            double mean = swo / sw;
            double a = sw / n;
            // O^ = mean(s O) / mean(s): linearised series s_i (O_i - O^) / mean(s).
            for (int i = 0; i < n; i++) y[i] = s[i] * (values[i] - mean) / a;
            var (se, tau, tauErr) = DeltaMethod.ErrorOfMean(y, SampleDependence.Independent);
            return new Estimate(mean, se, tau, tauErr, n);
        }
        finally { ArrayPool<double>.Shared.Return(pool); }
    }

    /// <summary>
    /// Variance of <paramref name="values"/> under the target p, Var_p(O) = &lt;O²&gt;_p − &lt;O&gt;_p², from independent samples
    /// of q with self-normalised weights: the ratio (Σ w~ O² / Σ w~) − (Σ w~ O / Σ w~)², its error and O(1/N) bias
    /// correction from a jackknife over <paramref name="blocks"/> contiguous blocks of the columns (w~, w~ O, w~ O²)
    /// (<see cref="Jackknife"/>). The specific heat per site of a spin model is C/N = β² N Var_p(H/N) (Nicoli et al.
    /// PRE 101, 023304 (2020), the reweighted observables). With logTarget = logQ (all weights equal) this is the
    /// plain sample variance under q. Values are centred on their weighted mean before squaring, so large offsets
    /// (energies of a big lattice) do not cancel catastrophically.
    /// </summary>
    public static Estimate Variance(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, ReadOnlySpan<double> values, int blocks = 64)
    {
        SampleValidation.ModelSamples(logTarget, logQ);
        int n = logQ.Length;
        SampleValidation.Values(values, n, nameof(values));
        var lw = new double[n];
        for (int i = 0; i < n; i++) lw[i] = logTarget[i] - logQ[i];
        var w = ImportanceWeights.Normalized(lw);
        double centre = 0;
        for (int i = 0; i < n; i++) centre += w[i] * values[i];
        var c0 = new double[n];
        var c1 = new double[n];
        var c2 = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = w[i] * n, d = values[i] - centre;
            c0[i] = s;
            c1[i] = s * d;
            c2[i] = s * d * d;
        }
        var estimate = Jackknife.Estimate([c0, c1, c2], m => m[2] / m[0] - (m[1] / m[0]) * (m[1] / m[0]), Math.Min(blocks, n));
        return estimate with { TauInt = 0.5, TauIntError = 0 };
    }
}
