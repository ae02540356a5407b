namespace Boltzmann.Physics.Numerics;

/// <summary>
/// Table of ln k! for k = 0 .. <see cref="Max"/> and the log-binomial ln C(n, k) built from it: the way binomial
/// sums over thousands of spins (Curie-Weiss, N up to several thousand) stay finite, since C(4000, 2000) ~ 10^1202
/// overflows a double but its logarithm is ~2768.
/// </summary>
/// <remarks>
/// ln k! = sum_{j=2}^{k} ln j, accumulated with Neumaier (compensated) summation so the table's absolute error
/// stays at the rounding level of the individual logarithms (~1e-15 relative to ln k!) instead of growing with k.
/// </remarks>
public sealed class LogFactorialTable
{
    private readonly double[] _lnFactorial;

    /// <summary>Largest k in the table.</summary>
    public int Max { get; }

    /// <summary>Builds ln k! for 0 &lt;= k &lt;= <paramref name="max"/>.</summary>
    public LogFactorialTable(int max)
    {
        if (max < 0) throw new ArgumentOutOfRangeException(nameof(max), max, "The table needs max >= 0.");
        Max = max;
        _lnFactorial = new double[max + 1];
        double sum = 0, compensation = 0;
        for (int k = 2; k <= max; k++)
        {
            double term = Math.Log(k);
            double t = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
            _lnFactorial[k] = sum + compensation;
        }
    }

    /// <summary>ln k!.</summary>
    public double LnFactorial(int k)
    {
        if ((uint)k > (uint)Max) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 0..{Max}.");
        return _lnFactorial[k];
    }

    /// <summary>ln C(n, k) for 0 &lt;= k &lt;= n &lt;= <see cref="Max"/>; negative infinity for k outside 0..n (C = 0).</summary>
    public double LnBinomial(int n, int k)
    {
        if ((uint)n > (uint)Max) throw new ArgumentOutOfRangeException(nameof(n), n, $"n must be in 0..{Max}.");
        if (k < 0 || k > n) return double.NegativeInfinity;
        return _lnFactorial[n] - _lnFactorial[k] - _lnFactorial[n - k];
    }
}
