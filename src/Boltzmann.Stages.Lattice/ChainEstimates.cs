using Boltzmann.Statistics;

namespace Boltzmann.Stages.Lattice;

/// <summary>
/// Estimates from several independent Markov chains of equal length: each chain's mean and error by the Gamma
/// method (Wolff 2004; tau_int in the Sokal convention 1/2 + sum rho), combined as the average of the chain means
/// with error sqrt(sum sigma_c^2) / C; tau_int is the chain average with the corresponding error.
/// </summary>
public static class ChainEstimates
{
    public static Estimate Mean(IReadOnlyList<double[]> chains)
    {
        if (chains.Count == 0) throw new ArgumentException("Need at least one chain.", nameof(chains));
        double mean = 0, var = 0, tau = 0, tauVar = 0;
        long n = 0;
        foreach (var s in chains)
        {
            var e = IntegratedAutocorrelation.Estimate(s);
            mean += e.Mean;
            var += e.StdError * e.StdError;
            tau += e.TauInt;
            tauVar += e.TauIntError * e.TauIntError;
            n += e.Count;
        }
        int c = chains.Count;
        return new Estimate(mean / c, Math.Sqrt(var) / c, tau / c, Math.Sqrt(tauVar) / c, n);
    }

    /// <summary>
    /// A non-linear function of several means by the blocked jackknife over the chains' series laid end to end
    /// (blocks longer than tau_int; a block straddling two chains is still a contiguous piece of independent data).
    /// </summary>
    public static Estimate Function(IReadOnlyList<double[][]> columnsByChain, Func<double[], double> statistic, int blocks = 32)
    {
        int k = columnsByChain[0].Length;
        var columns = new double[k][];
        for (int j = 0; j < k; j++) columns[j] = columnsByChain.SelectMany(c => c[j]).ToArray();
        int b = Math.Min(blocks, columns[0].Length);
        return Jackknife.Estimate(columns, statistic, Math.Max(2, b));
    }

    /// <summary>Empty per-chain series for <paramref name="points"/> parameter points.</summary>
    public static List<double>[][] Series(int points, int chains) =>
        Enumerable.Range(0, points).Select(_ => Enumerable.Range(0, chains).Select(_ => new List<double>()).ToArray()).ToArray();

    public static double[][] Arrays(List<double>[] chains) => chains.Select(c => c.ToArray()).ToArray();
}
