using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// A Helmholtz free energy F = -ln Z / beta (Nicoli et al. PRL 126, 032001 (2021): F^ = -T ln Z^) with its
/// standard error and O(1/N) bias. For the estimator from samples of q the bias is positive,
/// Var(w~) / (2 beta N E[w~]^2) (physics notes, delta method). <see cref="BiasCorrected"/> = Value - Bias.
/// Field theories use beta = 1 with ln p~ = -S.
/// </summary>
public readonly record struct FreeEnergyEstimate(double Value, double StdError, double Bias, double Beta, long Count)
{
    public double BiasCorrected => Value - Bias;

    public double Variance => StdError * StdError;

    /// <summary>As a Core <see cref="Estimate"/> (bias-corrected unless told otherwise; tau_int not carried: NaN).</summary>
    public Estimate ToEstimate(bool biasCorrected = true) =>
        new(biasCorrected ? BiasCorrected : Value, StdError, double.NaN, double.NaN, Count);

    public override string ToString() =>
        $"F = {Value:G8} ± {StdError:G2} (bias {Bias:G2}, corrected {BiasCorrected:G8}, beta = {Beta:G6}, n = {Count})";
}
