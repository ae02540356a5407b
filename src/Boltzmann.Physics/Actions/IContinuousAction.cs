namespace Boltzmann.Physics.Actions;

/// <summary>
/// A Euclidean action S(x) on <see cref="Dimension"/> real degrees of freedom, with its gradient: everything a
/// Hamiltonian Monte Carlo sampler needs of a continuous target p(x) ∝ e^{−S(x)} (lattice φ⁴, U(1) link angles,
/// the SK continuous relaxation, …). One call evaluates the whole field, so implementations run allocation-free,
/// vectorised kernels over the lattice and callers pay one interface dispatch per evaluation, never per site.
/// The batched TorchSharp twin of an action is an <c>ITarget</c> with ln p~(x) = −S(x) (docs/conventions.md).
/// </summary>
public interface IContinuousAction
{
    /// <summary>Number of real degrees of freedom of one configuration.</summary>
    int Dimension { get; }

    /// <summary>S(x) for one configuration <paramref name="x"/> of length <see cref="Dimension"/>.</summary>
    double Action(ReadOnlySpan<double> x);

    /// <summary>
    /// Writes ∂S/∂x into <paramref name="gradient"/> (length <see cref="Dimension"/>; the HMC force is its negative)
    /// and returns S(x), computed in one pass.
    /// </summary>
    double ActionAndGradient(ReadOnlySpan<double> x, Span<double> gradient);
}
