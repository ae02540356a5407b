namespace Boltzmann.Estimators;

/// <summary>
/// ESS-aware diagnostics of a NIS ln Z estimate from independent samples of q. The delta-method error of
/// <see cref="NeuralImportanceSampling.LnZ"/> uses the sample variance of the weights, which for a heavy-tailed weight
/// distribution (small ESS) is itself dominated by a few samples and underestimates the spread: the estimate then
/// claims a precision it lacks. Two checks are added:
/// <list type="bullet">
/// <item>the effective number of samples ESS·N (Kish, reverse), with a reliability threshold (default 100);</item>
/// <item>the spread of the bias-corrected ln Z over <c>batches</c> independent contiguous batches: error
/// sd(ln Z_b)/sqrt(B) of the batch mean, and the difference between the batch mean and the full-sample estimate
/// (a drift with sample size shows the estimator is not yet in its asymptotic regime).</item>
/// </list>
/// The conservative error is max(delta-method error, batch error, |full − batch mean|), the one to quote when the ESS
/// is small.
/// </summary>
public static class NisReliability
{
    public const int DefaultBatches = 10;
    public const double DefaultMinimumEffectiveSamples = 100;

    public static NisDiagnostics Evaluate(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, int batches = DefaultBatches,
                                          double minimumEffectiveSamples = DefaultMinimumEffectiveSamples)
    {
        SampleValidation.ModelSamples(logTarget, logQ);
        if (batches < 2) throw new ArgumentOutOfRangeException(nameof(batches), batches, "NisReliability needs at least 2 batches.");
        int n = logQ.Length, len = n / batches;
        if (len < 2) throw new ArgumentException($"NisReliability: {n} samples cannot form {batches} batches of at least 2.", nameof(logQ));
        var full = NeuralImportanceSampling.LnZ(logTarget, logQ);
        var perBatch = new double[batches];
        for (int b = 0; b < batches; b++)
            perBatch[b] = NeuralImportanceSampling.LnZ(logTarget.Slice(b * len, len), logQ.Slice(b * len, len)).BiasCorrected;
        double mean = perBatch.Average();
        double variance = perBatch.Sum(v => (v - mean) * (v - mean)) / (batches - 1);
        double batchError = Math.Sqrt(variance / batches);
        double drift = full.BiasCorrected - mean;
        double conservative = Math.Max(full.StdError, Math.Max(batchError, Math.Abs(drift)));
        double effective = full.EssFraction * n;
        return new NisDiagnostics(full, effective, effective >= minimumEffectiveSamples, mean, batchError, drift, conservative, batches);
    }
}

/// <summary>
/// The result of <see cref="NisReliability.Evaluate"/>: the full-sample estimate, ESS·N and whether it passes the
/// threshold, the batch mean and batch error of ln Z, the drift full − batch mean, and the conservative error.
/// </summary>
public readonly record struct NisDiagnostics(
    LnZEstimate Full,
    double EffectiveSamples,
    bool Reliable,
    double BatchMean,
    double BatchError,
    double Drift,
    double ConservativeError,
    int Batches)
{
    /// <summary>(estimate − exact) in units of the conservative error.</summary>
    public double Deviation(double exact) => (Full.BiasCorrected - exact) / ConservativeError;
}
