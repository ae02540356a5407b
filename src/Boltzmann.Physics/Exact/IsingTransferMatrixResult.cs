namespace Boltzmann.Physics.Exact;

/// <summary>Exact transfer-matrix results for the 2D Ising torus: ln Z, ⟨H⟩/N, C/N and ⟨m²⟩ = ⟨(Σ s/N)²⟩.</summary>
public readonly record struct IsingTransferMatrixResult(double LnZ, double EnergyPerSite, double SpecificHeatPerSite, double MeanMagnetizationSquared);
