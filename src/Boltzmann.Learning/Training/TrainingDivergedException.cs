namespace Boltzmann.Learning.Training;

/// <summary>
/// A training stage stopped because its loss or gradient became NaN/±∞, a <see cref="DivergenceRule"/> fired,
/// or the sanity check failed. Nothing was written after the last good checkpoint, which stays on disk
/// (<see cref="LastGoodCheckpoint"/>) so the stage can be resumed with other settings or inspected.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(long step, double loss, string reason, string? lastGoodCheckpoint, long? lastGoodStep, Exception? inner = null)
        : base(BuildMessage(step, reason, lastGoodCheckpoint, lastGoodStep), inner)
    {
        Step = step;
        Loss = loss;
        Reason = reason;
        LastGoodCheckpoint = lastGoodCheckpoint;
        LastGoodStep = lastGoodStep;
    }

    /// <summary>
    /// 0-based index of the step that failed. For a non-finite or diverging loss or gradient its update was
    /// not applied; for a failed sanity check (run after a step) it is the last completed step.
    /// </summary>
    public long Step { get; }

    /// <summary>The loss of that step (NaN or ±∞ for a non-finite loss; the last finite loss for a sanity-check failure).</summary>
    public double Loss { get; }

    public string Reason { get; }

    /// <summary>Directory of the newest checkpoint written before the failure (null if none was written).</summary>
    public string? LastGoodCheckpoint { get; }

    /// <summary>Completed steps stored in <see cref="LastGoodCheckpoint"/>.</summary>
    public long? LastGoodStep { get; }

    private static string BuildMessage(long step, string reason, string? checkpoint, long? checkpointStep) =>
        $"Training stopped at step {step}: {reason}. " +
        (checkpoint is null
            ? "No checkpoint had been written yet. "
            : $"The last good checkpoint is {checkpoint} ({checkpointStep} steps completed); nothing newer was written. ") +
        "Try a lower learning rate, gradient clipping (TrainingOptions.MaxGradientNorm) or float64 (TrainingOptions.DType).";
}
