using Boltzmann.Statistics;

namespace Boltzmann.Autoregressive.Likelihood;

/// <summary>
/// How well first-layer weights W reproduce the couplings J over the N(N-1)/2 pairs i &lt; j (Biazzo 2023, Fig. 6):
/// Pearson and Spearman correlation of |W| with |J| (the paper compares absolute values), the Pearson correlation of
/// the signed values, and the least-squares line |W| = intercept + slope |J| drawn in the figure. Every estimate is
/// the full-sample value with a delete-block jackknife error over pairs (Count = pairs).
/// </summary>
public sealed record CouplingRecoveryResult(
    int Pairs,
    Estimate PearsonAbs,
    Estimate SpearmanAbs,
    Estimate PearsonSigned,
    Estimate Slope,
    Estimate Intercept);
