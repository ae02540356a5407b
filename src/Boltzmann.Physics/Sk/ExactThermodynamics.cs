namespace Boltzmann.Physics.Sk;

/// <summary>
/// Exact equilibrium observables of one finite instance at one temperature, from complete enumeration
/// (<see cref="SkExactEnumeration"/>). Energies are totals (not per spin) unless the name says otherwise;
/// m = (1/N) sum_i s_i.
/// </summary>
/// <param name="N">Number of spins.</param>
/// <param name="Temperature">T = 1/beta (positive infinity when <paramref name="Beta"/> = 0).</param>
/// <param name="Beta">Inverse temperature.</param>
/// <param name="LnZ">ln Z, Z = sum_s exp(-beta H(s)).</param>
/// <param name="FreeEnergyPerSpin">f = -T ln Z / N (negative infinity at beta = 0).</param>
/// <param name="MeanEnergy">&lt;H&gt;.</param>
/// <param name="MeanEnergySquared">&lt;H^2&gt;.</param>
/// <param name="SpecificHeat">Per spin: c = beta^2 (&lt;H^2&gt; - &lt;H&gt;^2) / N.</param>
/// <param name="MeanAbsMagnetization">&lt;|m|&gt;.</param>
/// <param name="MeanMagnetizationSquared">&lt;m^2&gt;.</param>
/// <param name="MeanQ2">
/// &lt;q^2&gt; between two independent replicas = (1/N^2) sum_ij &lt;s_i s_j&gt;^2 (diagonal included, so it is at
/// least 1/N); NaN when the overlap distribution was not requested.
/// </param>
/// <param name="OverlapDistribution">
/// P(q_k), k = 0..N, with q_k = 1 - 2k/N (k = number of spins on which two independent configurations differ),
/// so index 0 is q = +1 and index N is q = -1. Empty when not requested.
/// </param>
public sealed record ExactThermodynamics(
    int N,
    double Temperature,
    double Beta,
    double LnZ,
    double FreeEnergyPerSpin,
    double MeanEnergy,
    double MeanEnergySquared,
    double SpecificHeat,
    double MeanAbsMagnetization,
    double MeanMagnetizationSquared,
    double MeanQ2,
    double[] OverlapDistribution)
{
    /// <summary>The overlap value of bin k of <see cref="OverlapDistribution"/>: q_k = 1 - 2k/N.</summary>
    public double OverlapValue(int k)
    {
        if ((uint)k > (uint)N) throw new ArgumentOutOfRangeException(nameof(k), k, $"Overlap bin must be in 0..{N}.");
        return 1.0 - 2.0 * k / N;
    }

    /// <summary>All overlap values q_k = 1 - 2k/N, k = 0..N, aligned with <see cref="OverlapDistribution"/>.</summary>
    public double[] OverlapValues()
    {
        var q = new double[N + 1];
        for (int k = 0; k <= N; k++) q[k] = 1.0 - 2.0 * k / N;
        return q;
    }

    /// <summary>Mean energy per spin &lt;H&gt;/N.</summary>
    public double MeanEnergyPerSpin => MeanEnergy / N;
}
