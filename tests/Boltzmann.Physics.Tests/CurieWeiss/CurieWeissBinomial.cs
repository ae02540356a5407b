namespace Boltzmann.Physics.Tests.CurieWeiss;

/// <summary>ln C(n, k) as a plain sum of logarithms, independent of the library's log-factorial table.</summary>
internal static class CurieWeissBinomial
{
    public static double LnBinomial(int n, int k)
    {
        if (k < 0 || k > n) return double.NegativeInfinity;
        k = Math.Min(k, n - k);
        double s = 0;
        for (int i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }
}
