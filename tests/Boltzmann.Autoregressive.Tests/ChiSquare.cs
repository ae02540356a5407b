namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// Pearson chi^2 goodness of fit with honest expected counts: cells whose expected count is below 5 are pooled into
/// one cell, and the statistic is compared with the chi^2 quantile at a 4-sigma one-sided level (Wilson-Hilferty:
/// chi^2_q ~ dof (1 - 2/(9 dof) + z sqrt(2/(9 dof)))^3, z = 4, tail probability ~3e-5).
/// </summary>
internal static class ChiSquare
{
    public static (double Statistic, int DegreesOfFreedom, double Threshold) Test(long[] observed, double[] probabilities, long samples)
    {
        double stat = 0, pooledExpected = 0;
        long pooledObserved = 0;
        int cells = 0;
        for (int c = 0; c < observed.Length; c++)
        {
            double expected = probabilities[c] * samples;
            if (expected < 5)
            {
                pooledExpected += expected;
                pooledObserved += observed[c];
                continue;
            }
            stat += (observed[c] - expected) * (observed[c] - expected) / expected;
            cells++;
        }
        if (pooledExpected > 0)
        {
            stat += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            cells++;
        }
        int dof = cells - 1;
        double a = 2.0 / (9.0 * dof);
        double threshold = dof * Math.Pow(1 - a + 4.0 * Math.Sqrt(a), 3);
        return (stat, dof, threshold);
    }
}
