namespace Boltzmann.Stages.NeuralRg.Evaluation;

/// <summary>
/// Per-chain time series of the improved spin observables of an HMC run on the dual field: the structure factor
/// E[(sum s/N)^2 | x] and the energy E[H/N | x] after every trajectory, and the acceptance rate.
/// </summary>
public sealed record HmcSeries(double[][] MagnetizationSquared, double[][] EnergyPerSite, double AcceptanceRate)
{
    public int Chains => MagnetizationSquared.Length;

    public int Trajectories => MagnetizationSquared.Length == 0 ? 0 : MagnetizationSquared[0].Length;

    /// <summary>The chain average of the structure factor after trajectory <paramref name="t"/>.</summary>
    public double MeanMagnetizationSquaredAt(int t) => MagnetizationSquared.Average(c => c[t]);

    /// <summary>The series with the first <paramref name="burnIn"/> trajectories dropped.</summary>
    public HmcSeries Skip(int burnIn) => new(
        MagnetizationSquared.Select(c => c[burnIn..]).ToArray(), EnergyPerSite.Select(c => c[burnIn..]).ToArray(), AcceptanceRate);
}
