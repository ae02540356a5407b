namespace Boltzmann.Estimators;

/// <summary>
/// Importance weights w~(x) = p~(x) / q(x) of samples x ~ q, handled in log space: ln w~ = ln p~ - ln q
/// (Nicoli et al., PRE 101, 023304 (2020), eq. for w~; Nicoli 2024 talk, "Neural Importance Sampling").
/// Exponentials are always taken after subtracting the maximum (log-sum-exp), so weights spanning hundreds
/// of orders of magnitude (typical for ln p~ = -beta H with N ~ 100 spins) neither overflow nor lose the
/// largest terms.
/// </summary>
public static class ImportanceWeights
{
    /// <summary>ln w~_i = logTarget_i - logQ_i for samples of q (validated: finite ln q, no NaN, no +inf).</summary>
    public static void LogWeights(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, Span<double> destination)
    {
        SampleValidation.ModelSamples(logTarget, logQ);
        if (destination.Length != logQ.Length)
            throw new ArgumentException($"destination has {destination.Length} entries, need {logQ.Length}.", nameof(destination));
        for (int i = 0; i < logQ.Length; i++) destination[i] = logTarget[i] - logQ[i];
    }

    /// <inheritdoc cref="LogWeights(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double})"/>
    public static double[] LogWeights(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ)
    {
        var lw = new double[logQ.Length];
        LogWeights(logTarget, logQ, lw);
        return lw;
    }

    /// <summary>The largest entry (-inf for all -inf); throws on NaN, naming the index.</summary>
    public static double Max(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) throw new ArgumentException("The maximum of an empty array is undefined.", nameof(values));
        double m = double.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (double.IsNaN(v)) throw new ArgumentException($"values[{i}] is NaN.", nameof(values));
            if (v > m) m = v;
        }
        return m;
    }

    /// <summary>ln sum_i exp(x_i), computed as m + ln sum_i exp(x_i - m) with m = max x (exact for all -inf: -inf).</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double m = Max(values);
        if (double.IsInfinity(m)) return m;
        double s = 0;
        foreach (double v in values) s += Math.Exp(v - m);
        return m + Math.Log(s);
    }

    /// <summary>ln((1/N) sum_i exp(x_i)) = LogSumExp(x) - ln N.</summary>
    public static double LogMeanExp(ReadOnlySpan<double> values) => LogSumExp(values) - Math.Log(values.Length);

    /// <summary>
    /// Self-normalised weights w_i = w~_i / sum_j w~_j (they sum to 1; the unknown Z cancels).
    /// Throws if every weight is zero (no sample in the support of p).
    /// </summary>
    public static void Normalize(ReadOnlySpan<double> logWeights, Span<double> destination)
    {
        if (destination.Length != logWeights.Length)
            throw new ArgumentException($"destination has {destination.Length} entries, need {logWeights.Length}.", nameof(destination));
        double m = Max(logWeights);
        if (double.IsNegativeInfinity(m))
            throw new ArgumentException("Every importance weight is zero: no sample lies in the support of the target.", nameof(logWeights));
        if (double.IsPositiveInfinity(m))
            throw new ArgumentException("An importance weight is infinite (log weight +inf).", nameof(logWeights));
        double s = 0;
        for (int i = 0; i < logWeights.Length; i++)
        {
            double e = Math.Exp(logWeights[i] - m);
            destination[i] = e;
            s += e;
        }
        double inv = 1.0 / s;
        for (int i = 0; i < destination.Length; i++) destination[i] *= inv;
    }

    /// <inheritdoc cref="Normalize"/>
    public static double[] Normalized(ReadOnlySpan<double> logWeights)
    {
        var w = new double[logWeights.Length];
        Normalize(logWeights, w);
        return w;
    }

    /// <summary>
    /// s_i = exp(x_i - max x) into <paramref name="destination"/> (every s_i in [0, 1], the largest exactly 1);
    /// returns the shift max x. Ratios of means of s are ratios of means of exp(x).
    /// </summary>
    internal static double Scaled(ReadOnlySpan<double> logValues, Span<double> destination)
    {
        double m = Max(logValues);
        if (double.IsNegativeInfinity(m) || double.IsPositiveInfinity(m)) return m;
        for (int i = 0; i < logValues.Length; i++) destination[i] = Math.Exp(logValues[i] - m);
        return m;
    }
}
