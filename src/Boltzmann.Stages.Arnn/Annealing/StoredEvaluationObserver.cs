using Boltzmann.Targets.Spins;
using System.Text.Json;
using Boltzmann.Autoregressive;
using Boltzmann.Autoregressive.Training;
using Boltzmann.IO;
using Boltzmann.Physics.SpinGlass;
using static TorchSharp.torch;

namespace Boltzmann.Stages.Arnn.Annealing;

/// <summary>
/// Evaluates the network at the end of each selected temperature and stores the result atomically as
/// eval-KKK.json in a scratch folder: a resumed stage finds the temperatures already done and evaluates only the rest.
/// Evaluation samples come from a generator seeded per temperature, so they do not depend on when the run was resumed.
/// </summary>
internal sealed class StoredEvaluationObserver(
    string directory, PairwiseSpinTarget energy, int samples, ISet<int> evaluate, ISet<int> overlaps, Func<int, ulong> seed) : ITemperatureObserver
{
    private string PathOf(int index) => System.IO.Path.Combine(directory, $"eval-{index:D3}.json");

    public bool HasResult(int index) => !evaluate.Contains(index) || File.Exists(PathOf(index));

    public void OnTemperatureCompleted(int index, double beta, AutoregressiveModel model)
    {
        if (!evaluate.Contains(index)) return;
        var histogram = overlaps.Contains(index) ? new OverlapHistogram(model.N, samples / 2) : null;
        var generator = new Generator(seed(index), model.Device);
        var e = ModelEvaluation.Evaluate(model, energy, energy.HasZeroFields, beta, samples, generator,
            histogram is null ? null : rows => histogram.AddDisjointPairs(rows));
        var stored = StoredEvaluation.From(index, e, histogram?.Result());
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(PathOf(index), JsonSerializer.Serialize(stored, StoredEvaluation.Json));
    }

    public StoredEvaluation Read(int index) =>
        JsonSerializer.Deserialize<StoredEvaluation>(File.ReadAllText(PathOf(index)), StoredEvaluation.Json)
        ?? throw new InvalidDataException($"{PathOf(index)}: empty evaluation");
}

