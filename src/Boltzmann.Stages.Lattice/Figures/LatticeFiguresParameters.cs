namespace Boltzmann.Stages.Lattice.Figures;

/// <summary>Parameters of the lattice figure stages: points of the exact curves drawn under the Monte Carlo data.</summary>
public sealed record LatticeFiguresParameters(int ExactPoints);
