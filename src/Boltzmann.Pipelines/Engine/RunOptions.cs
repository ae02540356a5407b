namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// What one invocation runs: the named stages (and their upstream closure), or every stage up to a phase.
/// <paramref name="Force"/> recomputes the selected stages (not their cached upstream).
/// </summary>
public sealed record RunOptions(
    IReadOnlyList<string>? Stages = null,
    StagePhase? UpTo = null,
    bool Force = false,
    string Device = "auto",
    TimeSpan? LockTimeout = null);

public enum StageStatus
{
    Cached,
    Computed,
    /// <summary>A cached output failed verification (hash, size, manifest) and was recomputed.</summary>
    Recomputed,
    Forced,
}

public sealed record StageOutcome(string Stage, string Kind, string Key, StageStatus Status, TimeSpan Elapsed, string Directory);

public sealed record RunReport(string Pipeline, string Profile, IReadOnlyList<StageOutcome> Stages, TimeSpan Elapsed, string? PublishedTo);
