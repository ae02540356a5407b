namespace Boltzmann.Physics.Exact;

/// <summary>Exact 2D U(1) results on a torus: ln Z (link measure Π dx/2π), ⟨cos x_P⟩, ⟨Q_Z²⟩ and χ_t = ⟨Q_Z²⟩/V.</summary>
public readonly record struct U1ExactResult(double LnZ, double AveragePlaquette, double MeanChargeSquared, double TopologicalSusceptibility);
