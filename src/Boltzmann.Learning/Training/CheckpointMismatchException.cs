namespace Boltzmann.Learning.Training;

/// <summary>
/// An intact checkpoint does not belong to this training setup (different model tensors, numerics-relevant
/// options, generators or random streams). Falling back to an older checkpoint would not help, so resuming
/// stops with this error, which lists every difference.
/// </summary>
public sealed class CheckpointMismatchException(string checkpoint, IReadOnlyList<string> differences)
    : InvalidOperationException($"Checkpoint {checkpoint} does not match this training setup: {string.Join("; ", differences)}.")
{
    public string Checkpoint { get; } = checkpoint;

    public IReadOnlyList<string> Differences { get; } = differences;
}
