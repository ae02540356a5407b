using Boltzmann.Targets.Spins;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Physics.Sk;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Training;

/// <summary>Evaluates the network at every completed temperature and keeps the results in memory (tests only).</summary>
internal sealed class MemoryObserver(SkInstance hamiltonian, int samples, ulong seed) : ITemperatureObserver
{
    public Dictionary<int, TemperatureEvaluation> Results { get; } = [];

    public bool HasResult(int index) => Results.ContainsKey(index);

    public void OnTemperatureCompleted(int index, double beta, AutoregressiveModel model)
    {
        using var energy = new PairwiseSpinTarget(hamiltonian, 1.0, model.Device);
        var generator = new Generator(seed + (ulong)index, model.Device);
        Results[index] = ModelEvaluation.Evaluate(model, energy, energy.HasZeroFields, beta, samples, generator);
    }
}
