using System.Buffers;
using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// The variational (Gibbs) free energy and the reverse Kullback-Leibler divergence from independent samples of q.
/// <list type="bullet">
/// <item>Reverse loss L = E_q[ln q - ln p~] = E_q[ln q + beta H] (Hartnett &amp; Mohseni eq. 17; Nicoli 2024,
/// "Training a flow with reverse-KL").</item>
/// <item>Gibbs free energy F_q = L / beta (Hartnett &amp; Mohseni eq. 16, their G_x; Biazzo eq. 1, the variational
/// free energy, there written without the 1/beta). F_q &gt;= F = -ln Z / beta.</item>
/// <item>KL(q||p) = L + ln Z = beta (F_q - F) &gt;= 0.</item>
/// </list>
/// Errors are sqrt(Var/N) of the mean (samples of q are independent).
/// </summary>
public static class VariationalFreeEnergy
{
    /// <summary>L = mean(ln q - ln p~); beta F_q. Infinite (and rejected) if p~ = 0 at a sample of q.</summary>
    public static Estimate ReverseLoss(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ)
    {
        SampleValidation.ModelSamples(logTarget, logQ);
        int n = logQ.Length;
        var y = ArrayPool<double>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                if (double.IsNegativeInfinity(logTarget[i]))
                    throw new ArgumentException($"logTarget[{i}] = -inf: p~ = 0 at a sample of q, so the reverse KL loss is infinite.", nameof(logTarget));
                y[i] = logQ[i] - logTarget[i];
            }
            var span = y.AsSpan(0, n);
            var (se, tau, tauErr) = DeltaMethod.ErrorOfMean(span, SampleDependence.Independent);
            return new Estimate(IntegratedAutocorrelation.Mean(span), se, tau, tauErr, n);
        }
        finally { ArrayPool<double>.Shared.Return(y); }
    }

    /// <summary>Gibbs (variational) free energy F_q = (1/beta) mean(ln q + beta H) &gt;= F.</summary>
    public static Estimate Gibbs(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, double beta)
    {
        SampleValidation.Beta(beta);
        var l = ReverseLoss(logTarget, logQ);
        return l with { Mean = l.Mean / beta, StdError = l.StdError / beta };
    }

    /// <summary>KL(q||p) = L + ln Z given a reference ln Z (exact: StdError 0); errors added in quadrature.</summary>
    public static Estimate ReverseKl(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, Estimate lnZReference)
    {
        SampleValidation.Reference(lnZReference, nameof(lnZReference));
        var l = ReverseLoss(logTarget, logQ);
        return l with { Mean = l.Mean + lnZReference.Mean, StdError = Hypot(l.StdError, lnZReference.StdError) };
    }

    /// <summary>KL(q||p) given an exact ln Z.</summary>
    public static Estimate ReverseKl(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, double exactLnZ) =>
        ReverseKl(logTarget, logQ, Exact(exactLnZ));

    /// <summary>KL(q||p) = beta (F_q - F) given a reference Helmholtz free energy F (Hartnett &amp; Mohseni fig. 2b).</summary>
    public static Estimate ReverseKlFromFreeEnergy(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, double beta, Estimate freeEnergyReference)
    {
        SampleValidation.Beta(beta);
        SampleValidation.Reference(freeEnergyReference, nameof(freeEnergyReference));
        var l = ReverseLoss(logTarget, logQ);
        return l with { Mean = l.Mean - beta * freeEnergyReference.Mean, StdError = Hypot(l.StdError, beta * freeEnergyReference.StdError) };
    }

    /// <summary>Checks L &gt;= -ln Z (Hartnett &amp; Mohseni eq. 18) and returns the margin in standard errors.</summary>
    public static ReverseBoundCheck CheckBound(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, Estimate lnZReference)
    {
        SampleValidation.Reference(lnZReference, nameof(lnZReference));
        var l = ReverseLoss(logTarget, logQ);
        var bound = lnZReference with { Mean = -lnZReference.Mean };
        double margin = l.Mean - bound.Mean;
        double floor = 1e-12 * (1 + Math.Abs(l.Mean) + Math.Abs(bound.Mean));
        double err = Math.Sqrt(l.StdError * l.StdError + lnZReference.StdError * lnZReference.StdError + floor * floor);
        return new ReverseBoundCheck(l, bound, margin, err, margin / err);
    }

    /// <inheritdoc cref="CheckBound(ReadOnlySpan{double}, ReadOnlySpan{double}, Estimate)"/>
    public static ReverseBoundCheck CheckBound(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, double exactLnZ) =>
        CheckBound(logTarget, logQ, Exact(exactLnZ));

    /// <summary>
    /// Gibbs and Helmholtz free energies and KL(q||p) = beta (F_q - F) from the same samples of q, with no
    /// reference: F from neural importance sampling. KL^ = mean(-ln w~) + ln Z^ (bias-corrected), error from
    /// the joint linearised series -ln w~_i + w~_i / mean(w~).
    /// </summary>
    public static GibbsHelmholtzComparison Compare(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, double beta)
    {
        SampleValidation.Beta(beta);
        var loss = ReverseLoss(logTarget, logQ);
        var lnZ = NeuralImportanceSampling.LnZ(logTarget, logQ);
        int n = logQ.Length;
        var pool = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            var lw = pool.AsSpan(0, n);
            var s = pool.AsSpan(n, n);
            for (int i = 0; i < n; i++) lw[i] = logTarget[i] - logQ[i];
            ImportanceWeights.Scaled(lw, s);
            double a = IntegratedAutocorrelation.Mean(s);
            for (int i = 0; i < n; i++) s[i] = s[i] / a - lw[i];
            var (se, tau, tauErr) = DeltaMethod.ErrorOfMean(s, SampleDependence.Independent);
            var kl = new Estimate(loss.Mean + lnZ.BiasCorrected, se, tau, tauErr, n);
            var gibbs = loss with { Mean = loss.Mean / beta, StdError = loss.StdError / beta };
            return new GibbsHelmholtzComparison(gibbs, lnZ.ToFreeEnergy(beta), kl, beta);
        }
        finally { ArrayPool<double>.Shared.Return(pool); }
    }

    internal static Estimate Exact(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"The exact reference value must be finite, got {value}.", nameof(value));
        return new Estimate(value, 0, double.NaN, double.NaN, 0);
    }

    internal static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);
}
