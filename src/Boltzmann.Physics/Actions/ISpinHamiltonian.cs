namespace Boltzmann.Physics.Actions;

/// <summary>
/// The energy H(s) of Ising-type spins s_i ∈ {−1, +1} (stored as <see cref="sbyte"/>) with its local change under
/// one spin flip: everything a single-spin-flip Metropolis or parallel-tempering sampler needs of p(s) ∝ e^{−βH(s)}.
/// The batched TorchSharp twin is an <c>ITarget</c> with ln p~(s) = −βH(s) (docs/conventions.md).
/// </summary>
public interface ISpinHamiltonian
{
    /// <summary>Number of spins N.</summary>
    int N { get; }

    /// <summary>H(s) for one configuration of N spins.</summary>
    double Energy(ReadOnlySpan<sbyte> s);

    /// <summary>H(s with spin <paramref name="i"/> flipped) − H(s).</summary>
    double FlipEnergyChange(ReadOnlySpan<sbyte> s, int i);
}
