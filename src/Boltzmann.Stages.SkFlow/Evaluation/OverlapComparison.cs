using Boltzmann.Physics.SpinGlass;

namespace Boltzmann.Stages.SkFlow.Evaluation;

/// <summary>
/// Mode-collapse score of a sampler: the total-variation distance between its P_J(q) and parallel tempering's,
/// (1/2) sum_b |P(b) - R(b)| over bins of adjacent q values (at most <c>bins</c> of them, so the N + 1 values of
/// q do not turn sampling noise into distance). A sampler collapsed onto few states puts its weight near q = 1
/// and misses the q &lt;= 0 part (Hartnett &amp; Mohseni, Fig. 4), giving a large distance.
/// <para>
/// Errors: <c>StdError</c> propagates the blocked bin errors of both histograms linearly (d TV / d P_b = sign/2);
/// <c>NoiseFloor</c> = (1/2) sum_b sqrt(2/pi) sqrt(e_P^2 + e_R^2) is the expected distance between two noisy
/// histograms of the SAME distribution, so a score near the floor means "indistinguishable".
/// </para>
/// </summary>
public readonly record struct OverlapComparison(double Distance, double StdError, double NoiseFloor)
{
    public static OverlapComparison Compute(OverlapDistribution p, OverlapDistribution reference, int bins)
    {
        if (p.N != reference.N) throw new ArgumentException($"P(q) over N = {p.N} and {reference.N} cannot be compared.");
        int values = p.N + 1;
        int width = Math.Max(1, (values + bins - 1) / bins);
        double tv = 0, variance = 0, floor = 0;
        for (int start = 0; start < values; start += width)
        {
            double a = 0, b = 0, ea = 0, eb = 0;
            for (int k = start; k < Math.Min(values, start + width); k++)
            {
                a += p.Probability[k];
                b += reference.Probability[k];
                ea += p.StdError[k] * p.StdError[k];
                eb += reference.StdError[k] * reference.StdError[k];
            }
            tv += 0.5 * Math.Abs(a - b);
            variance += 0.25 * (ea + eb);
            floor += 0.5 * Math.Sqrt(2 / Math.PI) * Math.Sqrt(ea + eb);
        }
        return new OverlapComparison(tv, Math.Sqrt(variance), floor);
    }
}
