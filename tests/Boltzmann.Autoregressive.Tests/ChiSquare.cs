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

    /// <summary>
    /// Draws <paramref name="samples"/> configurations from <paramref name="model"/> and tests their frequencies against
    /// the model's own exact Q from enumeration (x_0 is the most significant bit of the configuration index).
    /// </summary>
    public static (double Statistic, int DegreesOfFreedom, double Threshold) TestSampler(AutoregressiveModel model, long samples, ulong seed)
    {
        int n = model.N;
        using var scope = TorchSharp.torch.NewDisposeScope();
        var probabilities = ArchitectureCases.ToArray(model.LogProb(ExactReference.ConfigurationTensor(n)).exp());
        var (x, _) = model.Sample(samples, new TorchSharp.torch.Generator(seed, TorchSharp.torch.CPU));
        var weights = TorchSharp.torch.tensor(Enumerable.Range(0, n).Select(s => (double)(1L << (n - 1 - s))).ToArray(), dtype: TorchSharp.torch.ScalarType.Float64);
        var index = ((x + 1) / 2).matmul(weights).to_type(TorchSharp.torch.ScalarType.Int64);
        var observed = index.bincount(null, 1 << n).cpu().data<long>().ToArray();
        return Test(observed, probabilities, samples);
    }
}
