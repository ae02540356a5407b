using static TorchSharp.torch;

namespace Boltzmann.Flows.Bijections;

/// <summary>
/// An invertible map of events with a tractable Jacobian, the building block of a normalizing flow
/// (Hartnett &amp; Mohseni 2020, Sec. 3 and Appendix A; Papamakarios et al. 2021, Sec. 2.2). Both directions return
/// the log-determinant that the change-of-variables formula (their Eq. 10) needs, so flows compose by adding
/// log-dets (<see cref="NormalizingFlow"/>). Convention: <see cref="Forward"/> returns ln|det ∂x/∂z| and
/// <see cref="Inverse"/> returns ln|det ∂z/∂x|; at corresponding points the two are exact negatives of each other.
/// Tensors are batched: [batch, ..EventShape] in and out, log-dets [batch] summed over all non-batch dims.
/// </summary>
public interface IBijection
{
    /// <summary>The shape of one event, without the batch dimension ([N], [L, T], [2, L, T], …).</summary>
    long[] EventShape { get; }

    /// <summary>x = G(z) with ln|det ∂G/∂z| per event.</summary>
    (Tensor X, Tensor LogDet) Forward(Tensor z);

    /// <summary>z = G⁻¹(x) with ln|det ∂G⁻¹/∂x| per event.</summary>
    (Tensor Z, Tensor LogDet) Inverse(Tensor x);

    /// <summary>
    /// An analytic bound on |ln|det|| as a 0-d tensor (checked by the numeric sentinel), or null when the layer has
    /// none. Affine couplings with tanh log-scales have |ln|det|| ≤ |A| (Hartnett &amp; Mohseni 2020, Eq. 26).
    /// </summary>
    Tensor? LogDetBound() => null;
}
