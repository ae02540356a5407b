namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// What one invocation runs: the named stages (and their upstream closure), or every stage up to a phase.
/// <paramref name="Force"/> recomputes the selected stages (not their cached upstream).
/// <paramref name="Shard"/> runs only unit K of the one selected stage, which must be sharded
/// (<see cref="IShardedStageKind"/>): the unit is committed under its own key and the stage is not gathered, so
/// the units of a stage can run as the tasks of a cluster job array and a last plain run gathers them.
/// </summary>
public sealed record RunOptions(
    IReadOnlyList<string>? Stages = null,
    StagePhase? UpTo = null,
    bool Force = false,
    string Device = "auto",
    TimeSpan? LockTimeout = null,
    int? Shard = null);

public enum StageStatus
{
    Cached,
    Computed,
    /// <summary>A cached output failed verification (hash, size, manifest) and was recomputed.</summary>
    Recomputed,
    Forced,
}

/// <summary>
/// What happened to one stage. For a sharded stage <paramref name="Units"/> lists what happened to each unit (null when
/// the stage's own output was cached, so no unit was looked at); a <see cref="RunOptions.Shard"/> run reports the one
/// unit it ran as the stage's outcome, with the unit's key and directory.
/// </summary>
public sealed record StageOutcome(string Stage, string Kind, string Key, StageStatus Status, TimeSpan Elapsed, string Directory,
    IReadOnlyList<StageOutcome>? Units = null);

public sealed record RunReport(string Pipeline, string Profile, IReadOnlyList<StageOutcome> Stages, TimeSpan Elapsed, string? PublishedTo);
