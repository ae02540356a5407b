using Boltzmann.Learning.Training;

namespace Boltzmann.Stages.SkFlow.Training;

/// <summary>
/// Training of one flow of an <c>sk-flow-train</c> stage stopped on a NaN/∞ or diverging loss (or a failed log-det
/// sanity check). Names the flow (instance, temperature, objective), the step and the loss; the last good
/// checkpoint stays in the stage's scratch directory, nothing newer was written, and the stage's outputs are not
/// committed. The <see cref="Exception.InnerException"/> is the trainer's <see cref="TrainingDivergedException"/>.
/// </summary>
public sealed class FlowTrainingDivergedException(string stage, int instance, double temperature, FlowObjective objective, TrainingDivergedException inner)
    : Exception(
        $"{stage}: training the {objective.ToString().ToLowerInvariant()}-KL flow of instance {instance} at T = {temperature:R} " +
        $"stopped at step {inner.Step} with loss {inner.Loss:R}: {inner.Reason}. " +
        (inner.LastGoodCheckpoint is null
            ? "No checkpoint had been written yet. "
            : $"The last good checkpoint ({inner.LastGoodStep} steps) is kept at {inner.LastGoodCheckpoint}. ") +
        "Lower learning_rate (or, with dtype \"float32\", use \"float64\").", inner)
{
    public string Stage { get; } = stage;
    public int Instance { get; } = instance;
    public double Temperature { get; } = temperature;
    public FlowObjective Objective { get; } = objective;
    public long Step { get; } = inner.Step;
    public double Loss { get; } = inner.Loss;
    public string? LastGoodCheckpoint { get; } = inner.LastGoodCheckpoint;
}
