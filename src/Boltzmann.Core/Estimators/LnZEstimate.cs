using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// An estimate of ln Z with its statistical error and its O(1/N) bias.
/// <para>
/// <paramref name="Value"/> is the plain estimator (e.g. ln of the mean importance weight). Because ln is
/// non-linear, E[Value] - ln Z = <paramref name="Bias"/> + O(1/N^2); by the delta method (second-order Taylor
/// expansion of ln around the true mean) Bias = -StdError^2 / 2 for the estimator from samples of q, i.e.
/// -Var(w~) / (2 N E[w~]^2), so ln Z is underestimated and the free energy -ln Z / beta overestimated
/// (physics notes; Nicoli et al. PRL 126, 032001 (2021)). From samples of p the sign is reversed.
/// <see cref="BiasCorrected"/> = Value - Bias removes the O(1/N) term.
/// </para>
/// <para>
/// <paramref name="StdError"/> is the delta-method error sqrt(Var(w~) / N) / mean(w~) (times sqrt(2 tau_int) for
/// Markov-chain samples); the variance of the estimator is its square. <paramref name="EssFraction"/> is the
/// effective sample size ESS/N of the same samples (reverse ESS for samples of q, forward for samples of p).
/// StdError is purely statistical: when q equals p up to rounding it can fall below the floating-point
/// resolution of ln p~ - ln q (~1e-16 |ln p~|), so compare with exact values using a matching floor.
/// </para>
/// </summary>
public readonly record struct LnZEstimate(
    double Value,
    double StdError,
    double Bias,
    double EssFraction,
    double TauInt,
    double TauIntError,
    long Count)
{
    /// <summary>Value - Bias: the estimate with its O(1/N) delta-method bias removed.</summary>
    public double BiasCorrected => Value - Bias;

    /// <summary>Variance of the estimator (delta method), StdError^2.</summary>
    public double Variance => StdError * StdError;

    /// <summary>As a Core <see cref="Estimate"/> (bias-corrected unless told otherwise).</summary>
    public Estimate ToEstimate(bool biasCorrected = true) =>
        new(biasCorrected ? BiasCorrected : Value, StdError, TauInt, TauIntError, Count);

    /// <summary>Helmholtz free energy F = -ln Z / beta with the same relative errors (bias sign flips).</summary>
    public FreeEnergyEstimate ToFreeEnergy(double beta)
    {
        SampleValidation.Beta(beta);
        return new FreeEnergyEstimate(-Value / beta, StdError / beta, -Bias / beta, beta, Count);
    }

    /// <summary>|estimate - exact| in standard errors (bias-corrected unless told otherwise).</summary>
    public double Deviation(double exact, bool biasCorrected = true) => ToEstimate(biasCorrected).Deviation(exact);

    public override string ToString() =>
        $"ln Z = {Value:G8} ± {StdError:G2} (bias {Bias:G2}, corrected {BiasCorrected:G8}, ESS/N = {EssFraction:G4}, n = {Count})";
}
