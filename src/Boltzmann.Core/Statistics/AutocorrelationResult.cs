namespace Boltzmann.Statistics;

/// <summary>
/// Result of the Gamma-method analysis of one time series (Wolff, Comput. Phys. Commun. 156 (2004) 143).
/// <paramref name="TauInt"/> uses the Sokal convention tau_int = 1/2 + sum_{t=1}^{W} rho(t), so
/// independent samples give 1/2 and the variance of the mean is 2 tau_int Var / n.
/// </summary>
public readonly record struct AutocorrelationResult(
    double TauInt,
    double TauIntError,
    int Window,
    double Mean,
    double Variance,
    long Count)
{
    /// <summary>Standard error of the mean, sqrt(2 tau_int Var / n).</summary>
    public double StdErrorOfMean => Count > 0 ? Math.Sqrt(Math.Max(0, 2 * TauInt * Variance / Count)) : double.NaN;

    /// <summary>Number of effectively independent samples, n / (2 tau_int).</summary>
    public double EffectiveSamples => Count / (2 * TauInt);
}
