using System.Buffers;
using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Neural importance sampling (NIS) estimates of the partition function, from any model that exposes
/// sample() and log_prob() (Nicoli et al., PRE 101, 023304 (2020); PRL 126, 032001 (2021)). Only arrays are
/// seen: for each sample, ln p~(x) (= -beta H(x), or -S(x) for a field theory) and ln q(x).
/// <list type="bullet">
/// <item>q-estimator (samples of q): Z^ = (1/N) sum_i w~_i, w~ = p~/q, so ln Z^ = ln mean w~.</item>
/// <item>p-estimator (samples of p): 1/Z^ = (1/N) sum_j q/p~, so ln Z^ = -ln mean(1/w~)
/// (Nicoli et al. PRD 108, 114501 (2023); the "p-estimator for the free energy" of Nicoli's 2024 talk).</item>
/// </list>
/// Both are consistent but biased at finite N through the logarithm; the bias and the error come from the
/// delta method, see <see cref="LnZEstimate"/>.
/// </summary>
public static class NeuralImportanceSampling
{
    /// <summary>
    /// ln Z from independent samples of q: ln Z^ = ln mean w~ with error sqrt(Var(w~)/N)/mean(w~), bias
    /// -Var(w~)/(2 N mean(w~)^2), and the reverse ESS/N of the same weights.
    /// </summary>
    public static LnZEstimate LnZ(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ)
    {
        SampleValidation.ModelSamples(logTarget, logQ);
        int n = logQ.Length;
        var pool = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            var lw = pool.AsSpan(0, n);
            var s = pool.AsSpan(n, n);
            for (int i = 0; i < n; i++) lw[i] = logTarget[i] - logQ[i];
            double m = ImportanceWeights.Scaled(lw, s);
            if (double.IsNegativeInfinity(m))
                throw new ArgumentException("Every importance weight is zero (ln p~ = -inf for all samples of q): ln Z cannot be estimated.", nameof(logTarget));
            double a = IntegratedAutocorrelation.Mean(s);
            double ss = 0, s2 = 0;
            foreach (double v in s)
            {
                ss += (v - a) * (v - a);
                s2 += v * v;
            }
            double relativeVariance = ss / (n - 1.0) / (a * a); // Var(w~) / mean(w~)^2
            double se = Math.Sqrt(relativeVariance / n);
            double ess = Math.Min(1.0, a * a / (s2 / n));
            return new LnZEstimate(m + Math.Log(a), se, -0.5 * se * se, ess, 0.5, 0.0, n);
        }
        finally { ArrayPool<double>.Shared.Return(pool); }
    }

    /// <summary>
    /// ln Z from samples of p (e.g. parallel tempering at the same beta): ln Z^ = -ln mean(q/p~). Its bias is
    /// +StdError^2/2 (Jensen: the estimate is high). A sample where q = 0 contributes 0 to the mean.
    /// The reported ESS is the forward ESS/N. For Markov-chain samples the error uses tau_int of the
    /// linearised series (Gamma method).
    /// </summary>
    public static LnZEstimate LnZFromTargetSamples(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, SampleDependence dependence = SampleDependence.MarkovChain)
    {
        SampleValidation.TargetSamples(logTarget, logQ);
        int n = logQ.Length;
        var pool = ArrayPool<double>.Shared.Rent(3 * n);
        try
        {
            var lw = pool.AsSpan(0, n);
            var lv = pool.AsSpan(n, n);
            var v = pool.AsSpan(2 * n, n);
            for (int i = 0; i < n; i++)
            {
                lw[i] = logTarget[i] - logQ[i];
                lv[i] = logQ[i] - logTarget[i];
            }
            double m = ImportanceWeights.Scaled(lv, v);
            if (double.IsNegativeInfinity(m))
                throw new ArgumentException("q = 0 at every sample of p (ln q = -inf): the p-estimator of ln Z is undefined.", nameof(logQ));
            double a = IntegratedAutocorrelation.Mean(v);
            // d(-ln a) = -da / a: the linearised series is v_i / a (the sign does not change the error).
            for (int i = 0; i < n; i++) v[i] /= a;
            var (se, tau, tauErr) = DeltaMethod.ErrorOfMean(v, dependence);
            var ess = EffectiveSampleSize.ForwardFromLogWeights(lw, dependence);
            return new LnZEstimate(-(m + Math.Log(a)), se, 0.5 * se * se, ess.Mean, tau, tauErr, n);
        }
        finally { ArrayPool<double>.Shared.Return(pool); }
    }

    /// <summary>Helmholtz free energy F = -ln Z / beta from samples of q (<see cref="LnZ"/>); bias is positive.</summary>
    public static FreeEnergyEstimate FreeEnergy(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, double beta)
    {
        SampleValidation.Beta(beta);
        return LnZ(logTarget, logQ).ToFreeEnergy(beta);
    }

    /// <summary>Helmholtz free energy F = -ln Z / beta from samples of p (<see cref="LnZFromTargetSamples"/>); bias is negative.</summary>
    public static FreeEnergyEstimate FreeEnergyFromTargetSamples(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, double beta, SampleDependence dependence = SampleDependence.MarkovChain)
    {
        SampleValidation.Beta(beta);
        return LnZFromTargetSamples(logTarget, logQ, dependence).ToFreeEnergy(beta);
    }
}
