namespace Boltzmann.Learning.Training;

/// <summary>
/// What <see cref="Trainer.Resume()"/> did: the checkpoint it restored (null = none usable, training starts at
/// step 0), the completed steps, and every newer checkpoint it skipped as corrupt, with the reason and where
/// it was moved (corrupt checkpoints are renamed to "corrupt-…" so they are never considered again).
/// </summary>
public sealed record ResumeInfo(string? Checkpoint, long CompletedSteps, IReadOnlyList<string> Skipped);
