using static TorchSharp.torch;

namespace Boltzmann.Autoregressive;

/// <summary>
/// The incremental state of one ancestral-sampling pass over a batch: what an architecture carries from spin i to
/// spin i+1 so each conditional costs O(its own size) instead of a full forward pass. For the SK networks this is the
/// recursive first layer x^1_{i,l} = x^1_{i-1,l} + J_{i-1,l} x_{i-1} (Biazzo 2023, eq. 10); for the Curie-Weiss
/// networks and 1P the running sum of the spins; for 1L and MADE the pre-activations and finished hidden units.
/// </summary>
/// <remarks>
/// <see cref="AutoregressiveModel.Sample"/> calls <see cref="Logit"/>(i) then <see cref="Observe"/>(i, x_i) for
/// i = 0..N-1 in order, inside a dispose scope per step: state tensors must be created before the loop and updated in
/// place, never replaced by tensors created during a step.
/// </remarks>
public abstract class AncestralState
{
    /// <summary>logit_i given the spins observed so far, [batch].</summary>
    public abstract Tensor Logit(int i);

    /// <summary>Records the sampled spin x_i ([batch], +-1) and updates the state in place.</summary>
    public abstract void Observe(int i, Tensor xi);
}
