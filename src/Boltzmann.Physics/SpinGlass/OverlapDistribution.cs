using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// An estimated overlap distribution P_J(q) with errors. Bin k holds q_k = 1 - 2k/N (k = number of spins on
/// which the two configurations differ), the same indexing as <see cref="Sk.ExactThermodynamics.OverlapDistribution"/>:
/// index 0 is q = +1, index N is q = -1.
/// </summary>
/// <param name="N">Number of spins.</param>
/// <param name="Probability">Estimated P(q_k), k = 0..N (sums to 1).</param>
/// <param name="StdError">Standard error of each bin from contiguous blocks (correlated pairs are handled honestly).</param>
/// <param name="Pairs">Number of configuration pairs the histogram was formed from.</param>
/// <param name="MeanQ2">&lt;q^2&gt; with its blocked error.</param>
/// <param name="MeanAbsQ">&lt;|q|&gt; with its blocked error.</param>
public sealed record OverlapDistribution(int N, double[] Probability, double[] StdError, long Pairs, Estimate MeanQ2, Estimate MeanAbsQ)
{
    /// <summary>q_k = 1 - 2k/N, aligned with <see cref="Probability"/>.</summary>
    public double[] OverlapValues()
    {
        var q = new double[N + 1];
        for (int k = 0; k <= N; k++) q[k] = 1.0 - 2.0 * k / N;
        return q;
    }

    /// <summary>
    /// Total-variation distance (1/2) sum_k |P(q_k) - R(q_k)| to another distribution on the same bins: 0 for
    /// identical distributions, 1 for disjoint supports. Used as a mode-collapse score (a collapsed sampler
    /// loses the q &lt; 0 half and the small-|q| weight of P(q)).
    /// </summary>
    public double TotalVariationDistance(ReadOnlySpan<double> reference)
    {
        if (reference.Length != N + 1)
            throw new ArgumentException($"Reference distribution has {reference.Length} bins; expected N + 1 = {N + 1}.", nameof(reference));
        double sum = 0;
        for (int k = 0; k <= N; k++) sum += Math.Abs(Probability[k] - reference[k]);
        return 0.5 * sum;
    }

    /// <summary>
    /// Chi-square of this histogram against exact probabilities, over bins whose exact probability is at least
    /// <paramref name="minimumProbability"/> and whose error is positive; returns (chi2, degrees of freedom).
    /// </summary>
    public (double ChiSquare, int DegreesOfFreedom) ChiSquareAgainst(ReadOnlySpan<double> exact, double minimumProbability = 1e-3)
    {
        if (exact.Length != N + 1)
            throw new ArgumentException($"Exact distribution has {exact.Length} bins; expected N + 1 = {N + 1}.", nameof(exact));
        double chi2 = 0;
        int dof = 0;
        for (int k = 0; k <= N; k++)
        {
            if (exact[k] < minimumProbability || !(StdError[k] > 0)) continue;
            double z = (Probability[k] - exact[k]) / StdError[k];
            chi2 += z * z;
            dof++;
        }
        return (chi2, dof);
    }
}
