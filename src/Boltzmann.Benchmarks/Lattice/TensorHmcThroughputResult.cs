namespace Boltzmann.Benchmarks.Lattice;

/// <summary>Throughput of one batched <see cref="Boltzmann.Learning.Sampling.TensorHmc"/> configuration.</summary>
public readonly record struct TensorHmcThroughputResult(
    string Name, long Chains, long DegreesOfFreedom, int LeapfrogSteps, int Trajectories, double Seconds, double AcceptanceRate)
{
    /// <summary>Batched trajectories (every chain advanced once) per second.</summary>
    public double TrajectoriesPerSecond => Trajectories / Seconds;

    /// <summary>Per-chain trajectories per second summed over chains (chain-trajectories/s).</summary>
    public double ChainTrajectoriesPerSecond => Chains * (double)Trajectories / Seconds;

    /// <summary>Site (or link) leapfrog updates per second: chains × dof × leapfrog steps × trajectories / s.</summary>
    public double UpdatesPerSecond => Chains * (double)DegreesOfFreedom * LeapfrogSteps * Trajectories / Seconds;

    public override string ToString() =>
        $"{Name}: {Chains} chains, {LeapfrogSteps} leapfrog steps: {TrajectoriesPerSecond:F2} batched trajectories/s " +
        $"({ChainTrajectoriesPerSecond:E3} chain-trajectories/s), {UpdatesPerSecond:E3} dof-leapfrog updates/s, acceptance {AcceptanceRate:F3}";
}
