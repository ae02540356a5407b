using static TorchSharp.torch;

namespace Boltzmann.Flows.Priors;

/// <summary>
/// The base distribution q0 of a normalizing flow over one event shape (Papamakarios et al. 2021, Sec. 2; the q0 of
/// normflows' NormalizingFlow): exact sampling and exact, normalised log density. Event shapes are [N] for the SK
/// relaxation, [L, T] for lattice fields, [2, L, T] for links; every tensor carries a leading batch dimension.
/// </summary>
public interface IPrior
{
    /// <summary>The shape of one event, without the batch dimension.</summary>
    long[] EventShape { get; }

    ScalarType Dtype { get; }

    Device Device { get; }

    /// <summary><paramref name="batch"/> independent draws [batch, ..EventShape]; randomness only from <paramref name="generator"/>.</summary>
    Tensor Sample(long batch, Generator? generator = null);

    /// <summary>ln q0(z) per event of z [batch, ..EventShape] → [batch] (summed over all non-batch dims).</summary>
    Tensor LogProb(Tensor z);
}
