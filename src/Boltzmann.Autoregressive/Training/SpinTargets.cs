using Boltzmann.Learning.Targets;

namespace Boltzmann.Autoregressive.Training;

/// <summary>Checks that a Boltzmann target is over the N spins of the network it trains or evaluates.</summary>
internal static class SpinTargets
{
    public static void RequireSameSpins(ITarget target, int n, string where)
    {
        var shape = target.EventShape;
        if (shape.Length != 1 || shape[0] != n)
            throw new ArgumentException($"{where}: the model has N = {n} spins, the Hamiltonian acts on events [{string.Join(", ", shape)}].", nameof(target));
    }
}
