namespace Boltzmann.Physics.Numerics;

/// <summary>
/// Modified Bessel functions of the first kind of integer order, scaled: e^{−x} I_n(x), from the ascending series
/// I_n(x) = Σ_k (x/2)^{2k+n} / (k! (k+n)!) (Abramowitz and Stegun 9.6.10). All terms are positive, so the relative
/// accuracy is ~1e-15 for every order (no cancellation), which matters when I_n(β)^V is summed over winding sectors.
/// Intended for 0 ≤ x ≲ 300.
/// </summary>
public static class ModifiedBesselInteger
{
    /// <summary>e^{−x} I_n(x) for integer n (I_{−n} = I_n) and x ≥ 0.</summary>
    public static double Scaled(int n, double x)
    {
        if (!(x >= 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "Need x >= 0.");
        n = Math.Abs(n);
        if (x == 0) return n == 0 ? 1 : 0;
        double half = 0.5 * x;
        // Leading term in logs: n ln(x/2) − ln n! − x.
        double logTerm = n * Math.Log(half) - LogFactorial(n) - x;
        double term = 1, sum = 1, q = half * half;
        // Sum the ratio series t_{k+1}/t_k = (x/2)² / ((k+1)(k+n+1)) in a rescaled way to avoid overflow.
        double logScale = 0;
        for (int k = 0; k < 100000; k++)
        {
            term *= q / ((k + 1.0) * (k + n + 1.0));
            sum += term;
            if (sum > 1e250) { logScale += Math.Log(sum); term /= sum; sum = 1; }
            if (term < 1e-17 * sum && k > half) break;
        }
        return Math.Exp(logTerm + logScale + Math.Log(sum));
    }

    /// <summary>I_n(x) = e^{x} Scaled(n, x).</summary>
    public static double Value(int n, double x) => Math.Exp(x) * Scaled(n, x);

    private static double LogFactorial(int n)
    {
        double s = 0;
        for (int i = 2; i <= n; i++) s += Math.Log(i);
        return s;
    }
}
