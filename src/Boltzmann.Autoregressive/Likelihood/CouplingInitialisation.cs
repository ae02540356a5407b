namespace Boltzmann.Autoregressive.Likelihood;

/// <summary>Initial value of a learned first-layer coupling matrix (<see cref="LearnedCouplings"/>).</summary>
public enum CouplingInitialisation
{
    /// <summary>
    /// "Small random values" (Biazzo 2023, Fig. 6 caption and main text): W_il ~ N(0, scale^2) for i &lt; l, drawn from
    /// the model's initialisation generator, so nothing of the Hamiltonian's couplings enters the network.
    /// </summary>
    SmallRandom,

    /// <summary>
    /// W = J of the Hamiltonian: the network starts as the fixed-first-layer network of eqs. 8-10 (identical
    /// log-probabilities), and training may then move W away from J.
    /// </summary>
    Hamiltonian,
}
