using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling;

/// <summary>
/// Compact (angle) variables: wrap to the principal interval (−π, π] as x − 2π ⌈(x − π)/2π⌉, the convention of the
/// U(1) topological charge Q_Z (Foreman, Jin and Osborn, arXiv:2105.03418, eq. 4). Used by tensor HMC to keep link
/// angles bounded (the action is 2π-periodic, so wrapping changes neither ln p~ nor the force).
/// </summary>
public static class CompactAngles
{
    private static readonly Scalar Pi = Math.PI.ToScalar();
    private static readonly Scalar TwoPi = (2 * Math.PI).ToScalar();
    private static readonly Scalar InvTwoPi = (1 / (2 * Math.PI)).ToScalar();
    private static readonly Scalar MinusOne = (-1.0).ToScalar();

    /// <summary>x wrapped elementwise into (−π, π].</summary>
    public static Tensor Wrap(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var turns = x.sub(Pi).mul(InvTwoPi).ceil();
        return x.add(turns.mul(TwoPi), MinusOne).MoveToOuterDisposeScope();
    }
}
