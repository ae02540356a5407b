using Boltzmann.Learning.Training;

namespace Boltzmann.Autoregressive.Likelihood;

/// <summary>
/// Settings of <see cref="MaximumLikelihoodTrainer"/>: minibatch size, the seed of the per-epoch shuffles, the chunk
/// size of the held-out evaluation, and the shared <see cref="TrainingOptions"/> of the <see cref="Trainer"/> (steps,
/// Adam's learning rate, checkpoint and log intervals; the held-out NLL is evaluated on every logged step).
/// </summary>
public sealed record MaximumLikelihoodOptions
{
    /// <summary>Configurations per step (sampled without replacement within an epoch).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Seed of the epoch permutations: epoch e is shuffled by a stream derived from (seed, e) alone, so a resumed run sees the same minibatches.</summary>
    public ulong ShuffleSeed { get; init; } = 1;

    /// <summary>Configurations per forward pass when evaluating a whole data set (memory bound, no effect on results).</summary>
    public int EvaluationChunk { get; init; } = 2048;

    /// <summary>Optimizer, schedule, checkpoints and logging.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Every invalid setting for a training set of <paramref name="trainingCount"/> configurations.</summary>
    public IReadOnlyList<string> Problems(long trainingCount)
    {
        var p = new List<string>();
        if (BatchSize < 1) p.Add($"MaximumLikelihoodOptions.BatchSize: value {BatchSize} is not allowed; must be >= 1");
        else if (BatchSize > trainingCount) p.Add($"MaximumLikelihoodOptions.BatchSize: value {BatchSize} is larger than the training set ({trainingCount} configurations)");
        if (EvaluationChunk < 1) p.Add($"MaximumLikelihoodOptions.EvaluationChunk: value {EvaluationChunk} is not allowed; must be >= 1");
        if (Training is null) p.Add("MaximumLikelihoodOptions.Training: value null is not allowed");
        else p.AddRange(Training.Problems());
        return p;
    }
}
