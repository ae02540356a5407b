using Boltzmann.Physics.Sk;

namespace Boltzmann.Physics.Tests;

/// <summary>
/// Plain brute-force reference written independently of <see cref="SkExactEnumeration"/>: every configuration's
/// energy from <see cref="SkInstance.Energy"/>, direct weighted sums, and a deliberately different index
/// convention (bit i set means s_i = -1) so nothing is shared with the code under test.
/// </summary>
internal sealed class BruteForce
{
    public int N { get; }
    public sbyte[][] Configurations { get; }
    public double[] Energies { get; }

    public BruteForce(SkInstance instance)
    {
        N = instance.N;
        int count = 1 << N;
        Configurations = new sbyte[count][];
        Energies = new double[count];
        for (int x = 0; x < count; x++)
        {
            var s = new sbyte[N];
            for (int i = 0; i < N; i++) s[i] = (sbyte)(((x >> i) & 1) == 1 ? -1 : 1);
            Configurations[x] = s;
            Energies[x] = instance.Energy(s);
        }
    }

    public double MinimumEnergy => Energies.Min();

    /// <summary>Normalised Boltzmann probabilities and ln Z (log-sum-exp around the minimum).</summary>
    public double[] Probabilities(double beta, out double lnZ)
    {
        double eMin = MinimumEnergy;
        var p = new double[Energies.Length];
        double z = 0;
        for (int x = 0; x < p.Length; x++) { p[x] = Math.Exp(-beta * (Energies[x] - eMin)); z += p[x]; }
        for (int x = 0; x < p.Length; x++) p[x] /= z;
        lnZ = Math.Log(z) - beta * eMin;
        return p;
    }

    public (double LnZ, double E, double E2, double C, double AbsM, double M2, double Q2) Observables(double beta)
    {
        var p = Probabilities(beta, out double lnZ);
        double e = 0, e2 = 0, absM = 0, m2 = 0;
        var corr = new double[N, N];
        for (int x = 0; x < p.Length; x++)
        {
            var s = Configurations[x];
            double m = 0;
            for (int i = 0; i < N; i++) m += s[i];
            m /= N;
            e += p[x] * Energies[x];
            e2 += p[x] * Energies[x] * Energies[x];
            absM += p[x] * Math.Abs(m);
            m2 += p[x] * m * m;
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    corr[i, j] += p[x] * s[i] * s[j];
        }
        double q2 = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                q2 += corr[i, j] * corr[i, j];
        q2 /= (double)N * N;
        double c = beta * beta * (e2 - e * e) / N;
        return (lnZ, e, e2, c, absM, m2, q2);
    }

    /// <summary>P(k differing spins) for two independent draws, by the direct double sum over pairs.</summary>
    public double[] OverlapByDoubleSum(double beta)
    {
        var p = Probabilities(beta, out _);
        var pk = new double[N + 1];
        for (int x = 0; x < p.Length; x++)
            for (int y = 0; y < p.Length; y++)
            {
                int differ = 0;
                var a = Configurations[x];
                var b = Configurations[y];
                for (int i = 0; i < N; i++) if (a[i] != b[i]) differ++;
                pk[differ] += p[x] * p[y];
            }
        return pk;
    }
}
