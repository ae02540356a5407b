namespace Boltzmann.Estimators;

/// <summary>
/// Input checks shared by the estimators, so every bad value is reported with its array and index.
/// Samples of q must have finite log q (the model produced them, so q &gt; 0) and may have ln p~ = -inf
/// (outside the target's support: weight 0). Samples of p must have finite ln p~ and may have
/// ln q = -inf (a region the model cannot produce: the mode-dropping case of Nicoli et al.).
/// </summary>
internal static class SampleValidation
{
    public const int MinimumSamples = 2;

    public static void ModelSamples(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, int minimum = MinimumSamples)
    {
        SameLength(logTarget, logQ, minimum);
        for (int i = 0; i < logQ.Length; i++)
        {
            double lq = logQ[i], lt = logTarget[i];
            if (!double.IsFinite(lq))
                throw new ArgumentException($"logQ[{i}] = {lq}: a sample drawn from q must have a finite log q.", nameof(logQ));
            if (double.IsNaN(lt) || double.IsPositiveInfinity(lt))
                throw new ArgumentException($"logTarget[{i}] = {lt}: log p~ must be finite or -infinity.", nameof(logTarget));
        }
    }

    public static void TargetSamples(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ)
    {
        SameLength(logTarget, logQ, MinimumSamples);
        for (int i = 0; i < logQ.Length; i++)
        {
            double lq = logQ[i], lt = logTarget[i];
            if (!double.IsFinite(lt))
                throw new ArgumentException($"logTarget[{i}] = {lt}: a sample drawn from p must have a finite log p~.", nameof(logTarget));
            if (double.IsNaN(lq) || double.IsPositiveInfinity(lq))
                throw new ArgumentException($"logQ[{i}] = {lq}: log q must be finite or -infinity.", nameof(logQ));
        }
    }

    public static void Values(ReadOnlySpan<double> values, int expected, string name)
    {
        if (values.Length != expected)
            throw new ArgumentException($"{name} has {values.Length} entries but there are {expected} samples.", name);
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] = {values[i]}: observable values must be finite.", name);
    }

    public static void Beta(double beta)
    {
        if (!(beta > 0) || !double.IsFinite(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "The inverse temperature beta must be a finite number > 0.");
    }

    public static void Reference(Boltzmann.Statistics.Estimate reference, string name)
    {
        if (!double.IsFinite(reference.Mean))
            throw new ArgumentException($"{name}.Mean = {reference.Mean}: the reference value must be finite.", name);
        if (!(reference.StdError >= 0) || double.IsPositiveInfinity(reference.StdError))
            throw new ArgumentException($"{name}.StdError = {reference.StdError}: the reference error must be finite and >= 0 (0 for an exact value).", name);
    }

    private static void SameLength(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, int minimum)
    {
        if (logTarget.Length != logQ.Length)
            throw new ArgumentException($"logTarget has {logTarget.Length} entries but logQ has {logQ.Length}: they must describe the same samples.", nameof(logQ));
        if (logQ.Length < minimum)
            throw new ArgumentException($"Need at least {minimum} sample(s){(minimum >= 2 ? " (an error estimate needs two)" : "")}, got {logQ.Length}.", nameof(logQ));
    }
}
