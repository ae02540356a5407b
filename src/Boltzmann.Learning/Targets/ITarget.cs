using static TorchSharp.torch;

namespace Boltzmann.Learning.Targets;

/// <summary>
/// An unnormalised target density p~(x) ∝ p(x) over a batched event shape: the SK relaxation ([batch, N]),
/// spins ([batch, N] of ±1), lattice fields ([batch, L, T]) or gauge links ([batch, 2, L, T]). It is what reverse-KL
/// training, neural importance sampling and tensor HMC see of the physics. <see cref="LogProb"/> is differentiable
/// in x through autograd (<see cref="TargetGradient"/>), so a force needs no hand-written code. Plain-C# Monte Carlo
/// uses the matching <c>Boltzmann.Physics.Actions</c> interfaces; each tensor target is tested equal to its plain
/// twin (docs/conventions.md).
/// </summary>
public interface ITarget
{
    /// <summary>The shape of one event (without the batch dimension), e.g. [N] or [L, T].</summary>
    long[] EventShape { get; }

    ScalarType Dtype { get; }

    Device Device { get; }

    /// <summary>ln p~(x) for a batch x of shape [batch, ..EventShape] → [batch]; differentiable in x.</summary>
    Tensor LogProb(Tensor x);
}
