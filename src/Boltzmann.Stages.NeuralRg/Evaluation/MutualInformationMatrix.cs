using Boltzmann.Statistics;

namespace Boltzmann.Stages.NeuralRg.Evaluation;

/// <summary>
/// Pairwise mutual information I(v_i; v_j) between all pairs of variables of samples (rows) [count, N], by the KSG
/// estimator (<see cref="KsgMutualInformation"/>), as Li &amp; Wang's Fig. 4b (latent) and 4c (physical).
/// </summary>
public static class MutualInformationMatrix
{
    /// <summary>The symmetric N x N matrix (row-major) with a zero diagonal (the self-information is infinite).</summary>
    public static double[] Compute(double[] samples, int count, int n, int k = KsgMutualInformation.DefaultK, CancellationToken cancellationToken = default)
    {
        if (samples.Length != count * n) throw new ArgumentException($"Need count x N = {count * n} values, got {samples.Length}.", nameof(samples));
        var columns = new double[n][];
        for (int i = 0; i < n; i++)
        {
            columns[i] = new double[count];
            for (int r = 0; r < count; r++) columns[i][r] = samples[r * n + i];
        }
        var result = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int j = i + 1; j < n; j++)
            {
                double mi = KsgMutualInformation.Estimate(columns[i], columns[j], k);
                result[i * n + j] = mi;
                result[j * n + i] = mi;
            }
        }
        return result;
    }
}
