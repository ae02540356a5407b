namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Typed base for sharded stage kinds (<see cref="IShardedStageKind"/>): the runner runs every unit through the cache
/// under its own key and then gathers, so there is no whole-stage <c>RunAsync</c> to write.
/// </summary>
public abstract class ShardedStageKind<TParams> : StageKind<TParams>, IShardedStageKind where TParams : class
{
    /// <summary>The units, in output order (indices 0, 1, ...); from the parameters and upstream stages only, never from data.</summary>
    protected abstract IReadOnlyList<ShardUnit> Units(TParams parameters, IReadOnlyDictionary<string, ResolvedStage> upstream);

    /// <summary>Runs one unit into <see cref="StageContext.WorkDirectory"/>; its random streams derive from (stage seed, unit), nothing carries over from other units.</summary>
    protected abstract Task RunUnitAsync(StageContext context, TParams parameters, ShardUnit unit);

    /// <summary>Writes the stage's outputs from the committed units (in unit order), e.g. copying their files and writing an index.</summary>
    protected abstract Task GatherAsync(StageContext context, TParams parameters, IReadOnlyList<ShardArtifact> units);

    protected sealed override Task RunAsync(StageContext context, TParams parameters) =>
        throw new InvalidOperationException(
            $"Stage kind \"{Kind}\" is sharded: {nameof(PipelineRunner)} runs its units and gathers them; it has no whole-stage run.");

    IReadOnlyList<ShardUnit> IShardedStageKind.Units(object parameters, IReadOnlyDictionary<string, ResolvedStage> upstream) =>
        Units((TParams)parameters, upstream);

    Task IShardedStageKind.RunUnitAsync(StageContext context, object parameters, ShardUnit unit) =>
        RunUnitAsync(context, (TParams)parameters, unit);

    Task IShardedStageKind.GatherAsync(StageContext context, object parameters, IReadOnlyList<ShardArtifact> units) =>
        GatherAsync(context, (TParams)parameters, units);
}
