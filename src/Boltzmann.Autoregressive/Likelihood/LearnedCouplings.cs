using System.Globalization;

namespace Boltzmann.Autoregressive.Likelihood;

/// <summary>
/// Makes the first layer of the SK networks (Biazzo 2023, eqs. 8-10) learnable: the coupling matrix W that the layer
/// multiplies the prefix spins with becomes a trainable parameter instead of the Hamiltonian's J. This is the setting of
/// the paper's max-likelihood experiment (Fig. 6, SI section IV): the network is fitted to Monte Carlo samples and its
/// first-layer weights are then compared with the couplings that generated the samples. W is kept symmetric with zero
/// diagonal, as J is, by learning only its strict upper triangle (N(N-1)/2 numbers). The fields h stay fixed.
/// </summary>
/// <param name="Initialisation">Where W starts: small random values, or the Hamiltonian's J.</param>
/// <param name="Scale">Standard deviation of the small random initial values (ignored for <see cref="CouplingInitialisation.Hamiltonian"/>); finite and &gt; 0.</param>
public sealed record LearnedCouplings(CouplingInitialisation Initialisation, double Scale)
{
    /// <summary>W initialised to J (then learned).</summary>
    public static LearnedCouplings FromHamiltonian { get; } = new(CouplingInitialisation.Hamiltonian, 1.0);

    /// <summary>W_il ~ N(0, scale^2) for i &lt; l (then learned).</summary>
    public static LearnedCouplings SmallRandom(double scale) => new(CouplingInitialisation.SmallRandom, scale);

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Initialisation))
            throw new ArgumentException($"LearnedCouplings.Initialisation: value {Initialisation} is not allowed; must be SmallRandom or Hamiltonian.");
        if (Initialisation == CouplingInitialisation.SmallRandom && !(double.IsFinite(Scale) && Scale > 0))
            throw new ArgumentException($"LearnedCouplings.Scale: value {Scale.ToString("R", CultureInfo.InvariantCulture)} is not allowed; must be finite and > 0.");
    }
}
