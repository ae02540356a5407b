namespace Boltzmann.Physics.Exact;

/// <summary>
/// Exact 2D Ising thermodynamics at one β: ln Z, ∂ ln Z/∂β = −⟨H⟩, ∂² ln Z/∂β² = Var H, and the per-site energy
/// ⟨H⟩/N and specific heat C/N = β² Var H / N.
/// </summary>
public readonly record struct IsingThermodynamics(
    double LnZ, double DLnZDBeta, double D2LnZDBeta2, double EnergyPerSite, double SpecificHeatPerSite);
