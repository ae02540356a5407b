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

    /// <summary>This series followed by <paramref name="next"/> (the same chains continued); acceptance weighted by trajectories.</summary>
    public HmcSeries Append(HmcSeries next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.Chains != Chains) throw new ArgumentException($"HmcSeries.Append: {next.Chains} chains, expected {Chains}.", nameof(next));
        int total = Trajectories + next.Trajectories;
        double acceptance = total == 0 ? double.NaN : (AcceptanceRate * Trajectories + next.AcceptanceRate * next.Trajectories) / total;
        return new(MagnetizationSquared.Zip(next.MagnetizationSquared, (a, b) => a.Concat(b).ToArray()).ToArray(),
                   EnergyPerSite.Zip(next.EnergyPerSite, (a, b) => a.Concat(b).ToArray()).ToArray(), acceptance);
    }

    /// <summary>The series with the first <paramref name="burnIn"/> trajectories dropped.</summary>
    public HmcSeries Skip(int burnIn) => new(
        MagnetizationSquared.Select(c => c[burnIn..]).ToArray(), EnergyPerSite.Select(c => c[burnIn..]).ToArray(), AcceptanceRate);
}
