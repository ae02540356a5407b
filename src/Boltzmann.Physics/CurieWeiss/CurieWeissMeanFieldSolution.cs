namespace Boltzmann.Physics.CurieWeiss;

/// <summary>
/// The thermodynamic-limit Curie-Weiss solution from <see cref="CurieWeissMeanField.Solve"/>.
/// </summary>
/// <param name="Beta">Inverse temperature.</param>
/// <param name="J">Coupling of H = -h sum x - (J/N) sum_{i&lt;j} x_i x_j.</param>
/// <param name="H">Field.</param>
/// <param name="Magnetization">The global minimiser m* of the mean-field free energy (m = tanh(beta (J m + h)));
/// at h = 0 in the ordered phase the non-negative one of the pair +-m*.</param>
/// <param name="FreeEnergyPerSpin">f_inf = -h m* - J m*^2/2 - T s(m*).</param>
/// <param name="SaddlePoints">Number of global minimisers: 2 at h = 0, beta J &gt; 1 (+-m*), otherwise 1.</param>
/// <param name="LnZFiniteSizeCorrection">c_1 in ln Z_N = -N beta f_inf + c_1 + O(1/N); NaN at the critical point.</param>
public sealed record CurieWeissMeanFieldSolution(
    double Beta,
    double J,
    double H,
    double Magnetization,
    double FreeEnergyPerSpin,
    int SaddlePoints,
    double LnZFiniteSizeCorrection)
{
    /// <summary>The large-N approximation -N beta f_inf + c_1 of ln Z_N (error O(1/N)).</summary>
    public double LnZLargeN(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "N must be positive.");
        return -n * Beta * FreeEnergyPerSpin + LnZFiniteSizeCorrection;
    }

    /// <summary>The large-N approximation f_inf - c_1 / (beta N) of the free energy per spin f_N (error O(1/N^2)).</summary>
    public double FreeEnergyPerSpinLargeN(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "N must be positive.");
        return FreeEnergyPerSpin - LnZFiniteSizeCorrection / (Beta * n);
    }
}
