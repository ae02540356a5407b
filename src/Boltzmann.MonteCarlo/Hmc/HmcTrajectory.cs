namespace Boltzmann.MonteCarlo.Hmc;

/// <summary>
/// Outcome of one HMC trajectory: energy violation dH = H(x', p') - H(x, p), Metropolis acceptance probability
/// min(1, e^{-dH}), whether it was accepted, the action of the chain's configuration afterwards, and the
/// step size used.
/// </summary>
public readonly record struct HmcTrajectory(long Index, double DeltaH, double AcceptProbability, bool Accepted, double Action, double StepSize);
