namespace Boltzmann.Physics.Tests.CurieWeiss;

/// <summary>
/// Brute-force enumeration of the Curie-Weiss model written from the Hamiltonian alone,
/// H(x) = -h sum_i x_i - (J/N) sum_{i&lt;j} x_i x_j, with the explicit double loop over pairs (no binomial identity).
/// Configuration index c: bit i set means x_i = +1.
/// </summary>
internal sealed class CurieWeissBruteForce
{
    public int N { get; }
    public sbyte[][] Configurations { get; }
    public double[] Energies { get; }
    public double[] Probabilities { get; }
    public double LnZ { get; }

    public CurieWeissBruteForce(int n, double beta, double j, double h)
    {
        N = n;
        int count = 1 << n;
        Configurations = new sbyte[count][];
        Energies = new double[count];
        for (int c = 0; c < count; c++)
        {
            var x = new sbyte[n];
            for (int i = 0; i < n; i++) x[i] = (sbyte)(((c >> i) & 1) == 1 ? 1 : -1);
            double e = 0;
            for (int i = 0; i < n; i++)
            {
                e -= h * x[i];
                for (int k = i + 1; k < n; k++) e -= j / n * x[i] * x[k];
            }
            Configurations[c] = x;
            Energies[c] = e;
        }
        double max = Energies.Max(e => -beta * e);
        double z = Energies.Sum(e => Math.Exp(-beta * e - max));
        LnZ = max + Math.Log(z);
        double lnZ = LnZ;
        Probabilities = Energies.Select(e => Math.Exp(-beta * e - lnZ)).ToArray();
    }

    public static int CountUp(sbyte[] x) => x.Count(v => v == 1);

    /// <summary>P(d differing spins) between two independent configurations, by the double sum over all pairs.</summary>
    public double[] OverlapByDoubleSum()
    {
        var pd = new double[N + 1];
        for (int a = 0; a < Configurations.Length; a++)
            for (int b = 0; b < Configurations.Length; b++)
            {
                int differ = 0;
                for (int i = 0; i < N; i++) if (Configurations[a][i] != Configurations[b][i]) differ++;
                pd[differ] += Probabilities[a] * Probabilities[b];
            }
        return pd;
    }
}
