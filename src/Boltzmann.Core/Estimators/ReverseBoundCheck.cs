using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Check of the variational bound L_reverse = E_q[ln q - ln p~] &gt;= -ln Z (Hartnett &amp; Mohseni eq. 18;
/// equivalently F_q &gt;= F), which holds because KL(q||p) &gt;= 0. <paramref name="Margin"/> = L - (-ln Z) estimates
/// KL(q||p); <paramref name="MarginInSigma"/> = Margin / MarginStdError. A clearly negative margin (below
/// about -4 sigma) means a bug in ln q or ln p~, or a wrong reference ln Z. The error combines the loss's
/// statistical error, the reference's error and a floating-point floor of 1e-12 (1 + |L| + |ln Z|), so q = p
/// (margin 0 up to rounding) reads as 0 sigma rather than 0/0.
/// </summary>
public readonly record struct ReverseBoundCheck(
    Estimate Loss,
    Estimate LowerBound,
    double Margin,
    double MarginStdError,
    double MarginInSigma)
{
    /// <summary>True unless the loss lies more than <paramref name="sigmas"/> standard errors below the bound.</summary>
    public bool Holds(double sigmas = 4) => MarginInSigma >= -sigmas;

    public override string ToString() =>
        $"L = {Loss.Mean:G8} ± {Loss.StdError:G2} >= -ln Z = {LowerBound.Mean:G8} ± {LowerBound.StdError:G2}: margin {Margin:G4} ± {MarginStdError:G2} ({MarginInSigma:F1} sigma)";
}
