using Boltzmann.Statistics;

namespace Boltzmann.Stages.Lattice;

/// <summary>
/// Estimates from several independent Markov chains of equal length: means by <see cref="IndependentChains"/>,
/// non-linear functions of means by the blocked jackknife.
/// </summary>
public static class ChainEstimates
{
    /// <summary>The mean over independent chains (<see cref="IndependentChains.Mean"/>).</summary>
    public static Estimate Mean(IReadOnlyList<double[]> chains) => IndependentChains.Mean(chains);

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
