namespace Boltzmann.Spins;

/// <summary>
/// The parameters of a pairwise Ising Hamiltonian H(x) = −Σ_{i&lt;j} J_ij x_i x_j − Σ_i h_i x_i (Biazzo 2023, eq. 3):
/// a dense row-major N × N coupling matrix, symmetric with zero diagonal, and N fields. It is what the
/// coupling-weighted first layer of the autoregressive networks (Biazzo 2023, eqs. 8-10) reads, declared here so the
/// networks depend on the numbers only, not on the physics library that generates and stores instances.
/// </summary>
public interface IPairwiseCouplings
{
    /// <summary>Number of spins N.</summary>
    int N { get; }

    /// <summary>Row-major N × N symmetric coupling matrix with zero diagonal.</summary>
    ReadOnlySpan<double> Couplings { get; }

    /// <summary>External fields h_i.</summary>
    ReadOnlySpan<double> Fields { get; }

    /// <summary>J_ij.</summary>
    double J(int i, int j);
}
