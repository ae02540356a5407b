namespace Boltzmann.Statistics;

/// <summary>
/// A Monte Carlo estimate with its error: never pass a bare double around.
/// <paramref name="TauInt"/> is the integrated autocorrelation time in the Sokal convention
/// tau_int = 1/2 + sum_{t>=1} rho(t) (1/2 for independent samples); <paramref name="Count"/> is the
/// number of (correlated) samples the estimate was formed from. NaN TauInt means "not measured"
/// (e.g. a jackknife of independent blocks).
/// </summary>
public readonly record struct Estimate(double Mean, double StdError, double TauInt, double TauIntError, long Count)
{
    /// <summary>|Mean - reference| in units of the standard error.</summary>
    public double Deviation(double reference) => StdError > 0 ? Math.Abs(Mean - reference) / StdError : (Mean == reference ? 0 : double.PositiveInfinity);

    public override string ToString() =>
        double.IsNaN(TauInt)
            ? $"{Mean:G6} ± {StdError:G2} (n={Count})"
            : $"{Mean:G6} ± {StdError:G2} (τ_int={TauInt:G3}±{TauIntError:G2}, n={Count})";
}
