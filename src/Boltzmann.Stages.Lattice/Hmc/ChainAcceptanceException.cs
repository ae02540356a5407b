namespace Boltzmann.Stages.Lattice.Hmc;

/// <summary>A chain's acceptance rate within one part fell below the stated floor.</summary>
public sealed class ChainAcceptanceException(string point, long chain, long trajectory, double acceptance, double floor)
    : Exception($"HMC at {point}: chain {chain} accepted {acceptance:P1} of the trajectories up to trajectory {trajectory}, " +
                $"below the acceptance floor {floor:P1}; lower eps, raise burn_in (adaptation) or lower acceptance_floor");
