using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Flows.Tests.Training;

/// <summary>
/// Exact samples of the SK Boltzmann distribution p(s) ∝ e^{−βH(s)} for small N, drawn by inverse-CDF over all 2^N
/// states: an independent, autocorrelation-free stand-in for parallel-tempering data in forward-KL tests.
/// </summary>
internal static class ExactSkSamples
{
    public static sbyte[] Draw(SkInstance instance, double beta, int count, ref RandomStream rng)
    {
        int n = instance.N;
        int states = 1 << n;
        var cumulative = new double[states];
        var s = new sbyte[n];
        double minE = double.PositiveInfinity;
        var energies = new double[states];
        for (int k = 0; k < states; k++)
        {
            Fill(k, s);
            energies[k] = instance.Energy(s);
            minE = Math.Min(minE, energies[k]);
        }
        double total = 0;
        for (int k = 0; k < states; k++)
        {
            total += Math.Exp(-beta * (energies[k] - minE));
            cumulative[k] = total;
        }
        var result = new sbyte[count * n];
        for (int r = 0; r < count; r++)
        {
            double u = rng.NextDouble() * total;
            int k = Array.BinarySearch(cumulative, u);
            if (k < 0) k = ~k;
            Fill(Math.Min(k, states - 1), result.AsSpan(r * n, n));
        }
        return result;
    }

    private static void Fill(int state, Span<sbyte> s)
    {
        for (int i = 0; i < s.Length; i++) s[i] = ((state >> i) & 1) == 1 ? (sbyte)-1 : (sbyte)1;
    }
}
