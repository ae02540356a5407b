using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Models;
using Boltzmann.Flows.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Symmetry;

/// <summary>
/// The Z2-symmetrised density q_sym(x) = (q(x) + q(−x))/2 of a sampler q (Hartnett &amp; Mohseni 2020,
/// Appendix A.1, following Nicoli et al.'s trick for the 2D Ising model): the SK Boltzmann density of the
/// continuous relaxation without field is invariant under x → −x, and symmetrising makes the model exactly
/// invariant too. Evaluated stably as ln q_sym(x) = logaddexp(ln q(x), ln q(−x)) − ln 2 (one batched pass of
/// the inner model over [x; −x]). Sampling: draw x ~ q and flip its global sign with probability 1/2, which has
/// density exactly q_sym. A view: it does not own the inner model.
/// </summary>
public sealed class Z2Symmetrized : IExactSampler
{
    private const double Ln2 = 0.69314718055994530941723212145818;

    public Z2Symmetrized(IExactSampler inner)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
    }

    /// <summary>The unsymmetrised model q.</summary>
    public IExactSampler Inner { get; }

    public int Dimension => Inner.Dimension;

    public (Tensor Samples, Tensor LogProb) Sample(long batch, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var (x, _) = Inner.Sample(batch, generator);
        var u = rand([batch], x.dtype, x.device, generator: generator);
        var sign = u.LessThan(0.5).to_type(x.dtype).Times(-2.0).PlusConstant(1.0).unsqueeze(1);
        var flipped = x.mul(sign);
        var logProb = LogProb(flipped);
        return scope.MoveToOuter(flipped, logProb);
    }

    public Tensor LogProb(Tensor samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.dim() != 2)
            throw new ArgumentException($"Z2Symmetrized.LogProb: samples must be [batch, {Dimension}]; got shape [{string.Join(", ", samples.shape)}].", nameof(samples));
        using var scope = NewDisposeScope();
        long batch = samples.shape[0];
        var both = Inner.LogProb(cat([samples, samples.neg()], 0));
        var result = logaddexp(both.narrow(0, 0, batch), both.narrow(0, batch, batch)).PlusConstant(-Ln2);
        return result.MoveToOuterDisposeScope();
    }
}
