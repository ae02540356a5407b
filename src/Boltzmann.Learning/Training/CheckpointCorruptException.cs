namespace Boltzmann.Learning.Training;

/// <summary>
/// A training checkpoint is incomplete or damaged (missing file, SHA-256 mismatch, unreadable manifest).
/// <see cref="Trainer.Resume()"/> skips such a checkpoint and falls back to the previous one.
/// </summary>
public sealed class CheckpointCorruptException(string checkpoint, string problem)
    : IOException($"Checkpoint {checkpoint} is corrupt or incomplete: {problem}.")
{
    public string Checkpoint { get; } = checkpoint;

    public string Problem { get; } = problem;
}
