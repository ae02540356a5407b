using Boltzmann.Learning.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Lattice;

/// <summary>
/// Batched plaquette observables of 2D U(1) links [batch, 2, L, T] (Foreman, Jin and Osborn, arXiv:2105.03418,
/// eqs. 3–5): plaquette angles x_P(n) = x_0(n) + x_1(n+e0) − x_0(n+e1) − x_1(n), the average plaquette
/// (1/V) Σ_P cos x_P, the integer charge Q_Z = (1/2π) Σ_P wrap(x_P) with wrap to (−π, π], and the real charge
/// Q_R = (1/2π) Σ_P sin x_P. The same conventions as the plain-C# <c>U1Observables</c>; shifts are torch.roll.
/// </summary>
public static class U1TensorObservables
{
    private static readonly long[] PlaquetteDims = [1, 2];
    private static readonly long[] Back = [-1];
    private static readonly long[] DimX = [1];
    private static readonly long[] DimT = [2];
    private static readonly Scalar One = 1.0.ToScalar();
    private static readonly Scalar MinusOne = (-1.0).ToScalar();
    private static readonly Scalar InvTwoPi = (1 / (2 * Math.PI)).ToScalar();

    /// <summary>x_P [batch, L, T] of links [batch, 2, L, T] (differentiable).</summary>
    public static Tensor PlaquetteAngles(Tensor links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.dim() != 4 || links.shape[1] != 2)
            throw new ArgumentException($"Expected links [batch, 2, L, T], got [{string.Join(", ", links.shape)}].", nameof(links));
        using var scope = NewDisposeScope();
        var x0 = links.select(1, 0);
        var x1 = links.select(1, 1);
        // roll by −1 along a dim brings the value at n + e to position n.
        var x1PlusE0 = roll(x1, Back, DimX);
        var x0PlusE1 = roll(x0, Back, DimT);
        return x0.add(x1PlusE0, One).add(x0PlusE1, MinusOne).add(x1, MinusOne).MoveToOuterDisposeScope();
    }

    /// <summary>x wrapped to (−π, π] (elementwise; <see cref="CompactAngles.Wrap"/>).</summary>
    public static Tensor Wrap(Tensor x) => CompactAngles.Wrap(x);

    /// <summary>(1/V) Σ_P cos x_P per row.</summary>
    public static Tensor AveragePlaquette(Tensor links)
    {
        using var scope = NewDisposeScope();
        return PlaquetteAngles(links).cos().mean(PlaquetteDims).MoveToOuterDisposeScope();
    }

    /// <summary>Q_Z = (1/2π) Σ_P wrap(x_P) per row (an integer up to rounding on a torus).</summary>
    public static Tensor ChargeZ(Tensor links)
    {
        using var scope = NewDisposeScope();
        return Wrap(PlaquetteAngles(links)).sum(PlaquetteDims).mul(InvTwoPi).MoveToOuterDisposeScope();
    }

    /// <summary>Q_R = (1/2π) Σ_P sin x_P per row.</summary>
    public static Tensor ChargeR(Tensor links)
    {
        using var scope = NewDisposeScope();
        return PlaquetteAngles(links).sin().sum(PlaquetteDims).mul(InvTwoPi).MoveToOuterDisposeScope();
    }
}
