using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Forward-KL quantities from samples of p (Hartnett &amp; Mohseni eqs. 19-21):
/// <paramref name="CrossEntropy"/> = L_forward = -E_p[ln q] (the maximum-likelihood loss),
/// <paramref name="Entropy"/> = H(p) = ln Z - E_p[ln p~] (Shannon entropy of the target) and
/// <paramref name="Divergence"/> = KL(p||q) = L_forward - H(p) = E_p[ln p~ - ln q] - ln Z. All in nats; the
/// latter two include the reference ln Z's error in quadrature. Each error is from its own series
/// (tau_int-corrected for Markov-chain samples), so KL's error is not inflated by the large fluctuations of
/// ln q and ln p~ separately.
/// </summary>
public readonly record struct ForwardKlEstimate(Estimate CrossEntropy, Estimate Entropy, Estimate Divergence);
