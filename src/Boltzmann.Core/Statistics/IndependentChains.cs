namespace Boltzmann.Statistics;

/// <summary>
/// The mean of an observable measured on several independent Markov chains of equal length: each chain's mean and
/// error by the Gamma method (<see cref="IntegratedAutocorrelation"/>, Wolff 2004; τ_int in the Sokal convention
/// ½ + Σρ), combined as the average of the chain means with error √(Σ σ_c²)/C; τ_int is the chain average with the
/// corresponding error. Independent chains need no cross-correlation, so this is exact for equal lengths.
/// </summary>
public static class IndependentChains
{
    public static Estimate Mean(IReadOnlyList<double[]> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Count == 0) throw new ArgumentException("Need at least one chain.", nameof(chains));
        double mean = 0, variance = 0, tau = 0, tauVariance = 0;
        long n = 0;
        foreach (var series in chains)
        {
            var e = IntegratedAutocorrelation.Estimate(series);
            mean += e.Mean;
            variance += e.StdError * e.StdError;
            tau += e.TauInt;
            tauVariance += e.TauIntError * e.TauIntError;
            n += e.Count;
        }
        int c = chains.Count;
        return new Estimate(mean / c, Math.Sqrt(variance) / c, tau / c, Math.Sqrt(tauVariance) / c, n);
    }
}
