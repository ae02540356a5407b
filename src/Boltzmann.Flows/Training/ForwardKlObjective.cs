using Boltzmann.Learning.Models;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Training;

/// <summary>
/// The forward-KL (maximum-likelihood) loss of Hartnett &amp; Mohseni 2020, eq. 19: L_forward = −E_{x~p}[ln q(x)],
/// estimated on a minibatch of samples of p. For the SK relaxation those are x ~ p(x|s) drawn once per parallel
/// tempering configuration s (eq. 6, footnote 3: a 1:1 conversion). L_forward = KL(p‖q) + H[p] (eq. 20), so it is
/// bounded below by the entropy of p (eq. 21). The gradient is that of ln q in the model's parameters only.
/// </summary>
public static class ForwardKlObjective
{
    /// <summary>−mean ln q(x) over the rows of <paramref name="x"/> [batch, ..event] with N entries per event, e.g. [batch, N]
    /// or a lattice [batch, L, T] (differentiable in the model's parameters).</summary>
    public static Tensor Loss(IExactSampler model, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() < 2 || x.shape.Skip(1).Aggregate(1L, (a, b) => a * b) != model.Dimension)
            throw new ArgumentException($"ForwardKlObjective.Loss: x must be [batch, ..event] with {model.Dimension} entries per event; got shape [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        return model.LogProb(x).mean().neg().MoveToOuterDisposeScope();
    }
}
