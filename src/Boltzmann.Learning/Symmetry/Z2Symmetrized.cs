using Boltzmann.Learning.Models;
using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Symmetry;

/// <summary>
/// The Z2-symmetrised density q_sym(x) = (q(x) + q(−x))/2 of a sampler q (Hartnett &amp; Mohseni 2020,
/// Appendix A.1, following Nicoli et al.'s trick for the 2D Ising model; Biazzo 2023 for spins without field):
/// a Boltzmann density invariant under x → −x (SK relaxation or spins without field, φ⁴ without source) is
/// matched exactly only by an invariant model. Evaluated stably as ln q_sym(x) = logaddexp(ln q(x), ln q(−x)) − ln 2.
/// Sampling: draw x ~ q and flip its global sign with probability 1/2, which has density exactly q_sym. Works for
/// any event shape ([batch, N] spins or coordinates, [batch, L, T] fields): the flip acts on whole events.
/// A view: it does not own the inner model.
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
        var (flipped, logProb) = Flip(x, generator);
        return scope.MoveToOuter(flipped, logProb);
    }

    /// <summary>
    /// Turns draws x ~ q into draws of q_sym (global sign flipped with probability 1/2, one uniform per event from
    /// <paramref name="generator"/>) with ln q_sym of the flipped events, evaluated by one batched pass over [x'; −x'].
    /// </summary>
    public (Tensor Samples, Tensor LogProb) Flip(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var flipped = x.mul(FlipSigns(x, generator));
        var logProb = LogProb(flipped);
        return scope.MoveToOuter(flipped, logProb);
    }

    /// <summary>
    /// As <see cref="Flip(Tensor, Generator?)"/> when ln q(x) of the draws is already known (ancestral sampling returns
    /// it): ln q_sym(x') = ln q_sym(x) = logaddexp(ln q(x), ln q(−x)) − ln 2 since q_sym is even, so only q(−x) is
    /// evaluated (half the work).
    /// </summary>
    public (Tensor Samples, Tensor LogProb) Flip(Tensor x, Tensor logProbOfX, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(logProbOfX);
        using var scope = NewDisposeScope();
        var flipped = x.mul(FlipSigns(x, generator));
        var logProb = logaddexp(logProbOfX, Inner.LogProb(x.neg())).PlusConstant(-Ln2);
        return scope.MoveToOuter(flipped, logProb);
    }

    public Tensor LogProb(Tensor samples)
    {
        RequireBatched(samples, nameof(samples));
        using var scope = NewDisposeScope();
        long batch = samples.shape[0];
        var both = Inner.LogProb(cat([samples, samples.neg()], 0));
        var result = logaddexp(both.narrow(0, 0, batch), both.narrow(0, batch, batch)).PlusConstant(-Ln2);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>±1 per event (−1 with probability 1/2), shaped [batch, 1, …] to broadcast over the event dims.</summary>
    private static Tensor FlipSigns(Tensor x, Generator? generator)
    {
        RequireBatched(x, nameof(x));
        long batch = x.shape[0];
        var u = rand([batch], x.dtype, x.device, generator: generator);
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[0] = batch;
        return u.LessThan(0.5).to_type(x.dtype).Times(-2.0).PlusConstant(1.0).reshape(shape);
    }

    private static void RequireBatched(Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.dim() < 2)
            throw new ArgumentException($"Z2Symmetrized: {name} must be batched events [batch, …]; got shape [{string.Join(", ", x.shape)}].", name);
    }
}
