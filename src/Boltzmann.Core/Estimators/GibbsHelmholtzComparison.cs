using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Gibbs (variational) and Helmholtz free energies estimated from the same samples of q
/// (Hartnett &amp; Mohseni eqs. 16-18, fig. 2b inset): <paramref name="Gibbs"/> = F_q = (1/beta) E_q[ln q - ln p~],
/// <paramref name="Helmholtz"/> = F = -ln Z^ / beta from neural importance sampling, and
/// <paramref name="ReverseKl"/> = beta (F_q - F) = KL(q||p), whose error accounts for the correlation of the two
/// (joint delta method). KL uses the bias-corrected ln Z^; without the correction, ln mean w~ - mean ln w~ &gt;= 0
/// holds for every sample (Jensen), so the estimate is never negative.
/// </summary>
public readonly record struct GibbsHelmholtzComparison(
    Estimate Gibbs,
    FreeEnergyEstimate Helmholtz,
    Estimate ReverseKl,
    double Beta);
