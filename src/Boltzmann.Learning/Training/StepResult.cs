using static TorchSharp.torch;

namespace Boltzmann.Learning.Training;

/// <summary>
/// What a training closure returns for one step: the scalar loss to minimise (with its autograd graph) and
/// optional extra scalars to record in the loss log (e.g. an ESS estimate or a parameter under study). A
/// plain <see cref="Tensor"/> converts implicitly, so a closure may simply <c>return loss;</c>.
/// Extras are recorded only on logged steps; their names must be the same, in the same order, every time.
/// </summary>
public readonly record struct StepResult(Tensor Loss, IReadOnlyList<(string Name, double Value)>? Extras = null)
{
    public static implicit operator StepResult(Tensor loss) => new(loss);
}
