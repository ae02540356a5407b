using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Likelihood;

/// <summary>Converts row-major +-1 spin arrays (as read from a spin dataset or drawn exactly) to the models' float64 [M, N] tensors.</summary>
public static class SpinTensors
{
    /// <summary>[count, n] float64 tensor of the rows of <paramref name="spins"/> (length count * n, entries +-1).</summary>
    public static Tensor FromRows(ReadOnlySpan<sbyte> spins, int n, Device? device = null)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "N must be >= 1.");
        if (spins.Length % n != 0) throw new ArgumentException($"{spins.Length} spins do not form rows of N = {n}.", nameof(spins));
        var values = new double[spins.Length];
        for (int k = 0; k < spins.Length; k++)
        {
            sbyte s = spins[k];
            if (s != 1 && s != -1) throw new ArgumentException($"Entry {k} (row {k / n}, spin {k % n}) is {s}; spins must be +1 or -1.", nameof(spins));
            values[k] = s;
        }
        return tensor(values, [spins.Length / n, n], dtype: ScalarType.Float64, device: device ?? CPU);
    }
}
