using Boltzmann.MonteCarlo.Hmc;

namespace Boltzmann.Stages.Lattice.Hmc;

/// <summary>One simulated parameter point of a lattice HMC stage (a kappa, or a beta with an (N_LF, eps) pair).</summary>
public sealed record HmcPoint(int Index, string Label, HmcOptions Options);
