using System.Buffers;
using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Forward KL divergence KL(p||q), cross-entropy (the forward loss) and target entropy from samples of p,
/// e.g. parallel tempering data (Hartnett &amp; Mohseni eqs. 19-21, fig. 3b: L_forward = KL(p||q) + H(p)).
/// Needs a reference ln Z (exact enumeration, or an estimate whose error is propagated).
/// </summary>
public static class ForwardKullbackLeibler
{
    /// <summary>
    /// L_forward = -mean ln q, H(p) = ln Z - mean ln p~, KL(p||q) = mean(ln p~ - ln q) - ln Z, from samples of p.
    /// A sample where q = 0 makes KL(p||q) infinite and is rejected with its index.
    /// </summary>
    public static ForwardKlEstimate FromTargetSamples(
        ReadOnlySpan<double> logTarget,
        ReadOnlySpan<double> logQ,
        Estimate lnZReference,
        SampleDependence dependence = SampleDependence.MarkovChain)
    {
        SampleValidation.TargetSamples(logTarget, logQ);
        SampleValidation.Reference(lnZReference, nameof(lnZReference));
        int n = logQ.Length;
        for (int i = 0; i < n; i++)
            if (double.IsNegativeInfinity(logQ[i]))
                throw new ArgumentException($"logQ[{i}] = -inf: q = 0 at a sample of p, so KL(p||q) and the cross-entropy are infinite.", nameof(logQ));
        var pool = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var y = pool.AsSpan(0, n);
            for (int i = 0; i < n; i++) y[i] = -logQ[i];
            var crossEntropy = MeanOf(y, dependence);
            for (int i = 0; i < n; i++) y[i] = -logTarget[i];
            var minusLogTarget = MeanOf(y, dependence);
            for (int i = 0; i < n; i++) y[i] = logTarget[i] - logQ[i];
            var logRatio = MeanOf(y, dependence);
            var entropy = minusLogTarget with
            {
                Mean = minusLogTarget.Mean + lnZReference.Mean,
                StdError = VariationalFreeEnergy.Hypot(minusLogTarget.StdError, lnZReference.StdError),
            };
            var divergence = logRatio with
            {
                Mean = logRatio.Mean - lnZReference.Mean,
                StdError = VariationalFreeEnergy.Hypot(logRatio.StdError, lnZReference.StdError),
            };
            return new ForwardKlEstimate(crossEntropy, entropy, divergence);
        }
        finally { ArrayPool<double>.Shared.Return(pool); }
    }

    /// <summary>The same with an exact ln Z.</summary>
    public static ForwardKlEstimate FromTargetSamples(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, double exactLnZ, SampleDependence dependence = SampleDependence.MarkovChain) =>
        FromTargetSamples(logTarget, logQ, VariationalFreeEnergy.Exact(exactLnZ), dependence);

    private static Estimate MeanOf(ReadOnlySpan<double> y, SampleDependence dependence)
    {
        var (se, tau, tauErr) = DeltaMethod.ErrorOfMean(y, dependence);
        return new Estimate(IntegratedAutocorrelation.Mean(y), se, tau, tauErr, y.Length);
    }
}
