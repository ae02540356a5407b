namespace Boltzmann.Physics.Tests.Exact;

/// <summary>
/// Brute-force sum over all 2^N configurations of the periodic n × m Ising torus, H = −Σ_x Σ_μ s_x s_{x+μ}
/// (forward bonds, so 2N bonds even when a side is 2): the independent reference for Kaufman and the transfer matrix.
/// </summary>
internal static class IsingEnumeration
{
    public static (double LnZ, double EnergyPerSite, double SpecificHeatPerSite, double M2) Evaluate(int n, int m, double beta)
    {
        int sites = n * m;
        if (sites > 24) throw new ArgumentOutOfRangeException(nameof(n));
        var s = new int[sites];
        // Energies are integers in [−2N, 2N]; accumulate a histogram of (H, M²) first, then weight.
        var countByE = new Dictionary<int, (double Count, double M2)>();
        for (long state = 0; state < 1L << sites; state++)
        {
            int mag = 0;
            for (int i = 0; i < sites; i++) { s[i] = ((state >> i) & 1) == 0 ? 1 : -1; mag += s[i]; }
            int e = 0;
            for (int x = 0; x < n; x++)
                for (int t = 0; t < m; t++)
                {
                    int i = x * m + t;
                    e -= s[i] * s[((x + 1) % n) * m + t];
                    e -= s[i] * s[x * m + (t + 1) % m];
                }
            countByE.TryGetValue(e, out var c);
            countByE[e] = (c.Count + 1, c.M2 + (double)mag * mag);
        }
        double eMin = countByE.Keys.Min();
        double z = 0, z1 = 0, z2 = 0, zm = 0;
        foreach (var (e, (count, m2)) in countByE)
        {
            double w = Math.Exp(-beta * (e - eMin));
            z += count * w; z1 += count * e * w; z2 += count * (double)e * e * w; zm += m2 * w;
        }
        double mean = z1 / z, var = z2 / z - mean * mean;
        return (Math.Log(z) - beta * eMin, mean / sites, beta * beta * var / sites, zm / z / ((double)sites * sites));
    }
}
