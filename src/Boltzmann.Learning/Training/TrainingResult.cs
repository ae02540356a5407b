namespace Boltzmann.Learning.Training;

/// <summary>
/// Outcome of <see cref="Trainer.Run"/>: completed steps (= TrainingOptions.Steps), the loss of the last step,
/// the whole loss log (including steps restored from a checkpoint), the final checkpoint directory, the
/// cumulative training wall time and how many steps this call ran.
/// </summary>
public sealed record TrainingResult(long CompletedSteps, double FinalLoss, LossLog Log, string FinalCheckpoint, TimeSpan Elapsed, long StepsThisRun);
