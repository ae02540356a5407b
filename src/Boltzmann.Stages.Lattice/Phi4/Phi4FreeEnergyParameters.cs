namespace Boltzmann.Stages.Lattice.Phi4;

/// <summary>
/// Parameters of <see cref="Phi4FreeEnergyStage"/>: the thermodynamic-integration rule ("trapezoid", or "simpson"
/// on pairs of equal kappa intervals, trapezoid elsewhere).
/// </summary>
public sealed record Phi4FreeEnergyParameters(string Integration);
