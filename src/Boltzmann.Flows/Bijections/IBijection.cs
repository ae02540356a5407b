using static TorchSharp.torch;

namespace Boltzmann.Flows.Bijections;

/// <summary>
/// An invertible map of R^N with a tractable Jacobian, the building block of a normalizing flow
/// (Hartnett &amp; Mohseni 2020, Sec. 3 and Appendix A). Both directions return the log-determinant that
/// the change-of-variables formula (their Eq. 10) needs, so flows compose by adding log-dets.
/// Convention: <see cref="Forward"/> returns ln|det ∂x/∂z| and <see cref="Inverse"/> returns
/// ln|det ∂z/∂x|; at corresponding points the two are exact negatives of each other.
/// Tensors are batched: [batch, Dimension] in, [batch, Dimension] and [batch] log-dets out.
/// </summary>
public interface IBijection
{
    /// <summary>Number of coordinates N.</summary>
    int Dimension { get; }

    /// <summary>x = G(z) with ln|det ∂G/∂z| per sample.</summary>
    (Tensor X, Tensor LogDet) Forward(Tensor z);

    /// <summary>z = G⁻¹(x) with ln|det ∂G⁻¹/∂x| per sample.</summary>
    (Tensor Z, Tensor LogDet) Inverse(Tensor x);
}
