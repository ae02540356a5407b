using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Targets.Spins;

/// <summary>
/// Independent samples of the exact Boltzmann distribution p(x) = exp(-beta H(x)) / Z of a small SK instance, by
/// inversion of the cumulative distribution over all 2^N configurations of <see cref="SkExactEnumeration"/>
/// (N &lt;= 24): u ~ U[0, 1), x = the first configuration whose cumulative probability exceeds u (binary search). The
/// ground truth the max-likelihood trainer is tested on: with exact samples the held-out negative log-likelihood of a
/// model estimates the cross entropy -sum_x p ln Q = S + KL(p||Q) without bias.
/// </summary>
public sealed class ExactBoltzmannSampler
{
    private readonly double[] _cumulative;

    public ExactBoltzmannSampler(SkExactEnumeration exact, double beta)
    {
        ArgumentNullException.ThrowIfNull(exact);
        N = exact.N;
        Beta = beta;
        Probabilities = new double[exact.ConfigurationCount];
        LnZ = exact.BoltzmannProbabilities(beta, Probabilities);
        _cumulative = new double[Probabilities.Length];
        double sum = 0;
        for (int c = 0; c < Probabilities.Length; c++)
        {
            sum += Probabilities[c];
            _cumulative[c] = sum;
        }
        // Rounding may leave the total a few ulps from 1: make the last bin absorb every u.
        _cumulative[^1] = double.PositiveInfinity;
        double entropy = 0;
        foreach (double p in Probabilities)
            if (p > 0) entropy -= p * Math.Log(p);
        Entropy = entropy;
    }

    public int N { get; }

    public double Beta { get; }

    /// <summary>ln Z at <see cref="Beta"/>.</summary>
    public double LnZ { get; }

    /// <summary>p(x) in <see cref="SkExactEnumeration"/> index order (bit i set iff s_i = +1).</summary>
    public double[] Probabilities { get; }

    /// <summary>The Gibbs entropy S = -sum_x p(x) ln p(x) (nats): the smallest expected negative log-likelihood any model can reach.</summary>
    public double Entropy { get; }

    /// <summary>Draws one configuration index.</summary>
    public int NextIndex(ref RandomStream rng)
    {
        double u = rng.NextDouble();
        int lo = 0, hi = _cumulative.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_cumulative[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>Draws <paramref name="count"/> independent configurations as a row-major [count, N] array of +-1.</summary>
    public sbyte[] Draw(int count, ref RandomStream rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var spins = new sbyte[(long)count * N];
        for (int m = 0; m < count; m++)
            SkExactEnumeration.SpinsOf(NextIndex(ref rng), spins.AsSpan(m * N, N));
        return spins;
    }
}
