using Boltzmann.Data.Cache;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// The cache key of every stage, computed without running anything: a key hashes (kind, version,
/// canonical parameters, stage seed, upstream keys), so a change anywhere upstream changes every key below it.
/// The units of a sharded stage (<see cref="IShardedStageKind"/>) have keys of their own, derived from the stage's.
/// </summary>
public static class PipelinePlan
{
    /// <summary>Suffix of the cache kind under which the units of a sharded stage kind are stored ("phi4-hmc.unit").</summary>
    public const string UnitKindSuffix = ".unit";

    /// <summary>The single upstream entry of a unit key: the full key of the stage the unit belongs to.</summary>
    public const string UnitUpstreamName = "stage";

    public static IReadOnlyDictionary<string, CacheKey> Keys(ResolvedPipeline pipeline)
    {
        var keys = new Dictionary<string, CacheKey>(StringComparer.Ordinal);
        foreach (var s in pipeline.Stages)
        {
            var upstream = s.Upstream.ToDictionary(kv => kv.Key, kv => keys[kv.Value].Full, StringComparer.Ordinal);
            keys[s.Name] = CacheKey.Compute(s.Kind.Kind, s.Kind.Version, s.CanonicalParameters, s.Seed, upstream);
        }
        return keys;
    }

    /// <summary>
    /// The units of stage <paramref name="stage"/> with their cache keys, in output order; empty when the stage's kind
    /// is not sharded. A unit key hashes (kind + <see cref="UnitKindSuffix"/>, stage version, the unit's canonical JSON,
    /// stage seed, {"stage": the stage's full key}), so it changes whenever the stage's key does.
    /// </summary>
    public static IReadOnlyList<(ShardUnit Unit, CacheKey Key)> ShardKeys(ResolvedPipeline pipeline, string stage)
    {
        var s = pipeline.Stage(stage);
        if (s.Kind is not IShardedStageKind) return [];
        return ShardKeys(pipeline, s, Keys(pipeline)[s.Name]);
    }

    /// <summary>As <see cref="ShardKeys(ResolvedPipeline, string)"/> with the stage's key already computed.</summary>
    public static IReadOnlyList<(ShardUnit Unit, CacheKey Key)> ShardKeys(ResolvedPipeline pipeline, ResolvedStage stage, CacheKey stageKey)
    {
        if (stage.Kind is not IShardedStageKind sharded) return [];
        var upstream = stage.Upstream.ToDictionary(kv => kv.Key, kv => pipeline.Stage(kv.Value), StringComparer.Ordinal);
        var units = sharded.Units(stage.Parameters, upstream);
        for (var i = 0; i < units.Count; i++)
            if (units[i].Index != i)
                throw new InvalidOperationException(
                    $"Stage kind \"{stage.Kind.Kind}\" (stage \"{stage.Name}\") listed unit \"{units[i].Label}\" at position {i} with index {units[i].Index}; unit indices must be 0, 1, 2, ... in order.");
        if (units.Select(u => u.Label).Distinct(StringComparer.Ordinal).Count() != units.Count)
            throw new InvalidOperationException($"Stage kind \"{stage.Kind.Kind}\" (stage \"{stage.Name}\") listed two units with the same label.");
        var up = new Dictionary<string, string>(StringComparer.Ordinal) { [UnitUpstreamName] = stageKey.Full };
        return [.. units.Select(u => (u, CacheKey.Compute(stage.Kind.Kind + UnitKindSuffix, stage.Kind.Version, u.Canonical, stage.Seed, up)))];
    }

    /// <summary>
    /// Why <c>--shard <paramref name="shard"/></c> cannot run with the stage selection <paramref name="stages"/>, or null
    /// when it can: it needs exactly one selected stage, of a sharded kind, with 0 &lt;= shard &lt; its number of units.
    /// </summary>
    public static string? ShardProblem(ResolvedPipeline pipeline, IReadOnlyList<string>? stages, int shard)
    {
        if (stages is not { Count: 1 })
            return $"--shard {shard} needs exactly one --stage (the sharded stage to run a unit of), not {stages?.Count ?? 0}";
        var name = stages[0];
        var stage = pipeline.Stages.FirstOrDefault(s => s.Name == name);
        if (stage is null)
            return $"--stage \"{name}\": pipeline \"{pipeline.Name}\" has no such stage; its stages: {string.Join(", ", pipeline.Stages.Select(x => x.Name))}";
        if (stage.Kind is not IShardedStageKind)
        {
            var sharded = pipeline.Stages.Where(s => s.Kind is IShardedStageKind).Select(s => s.Name).ToList();
            return $"--shard: stage \"{name}\" ({stage.Kind.Kind}) is not sharded; sharded stages of pipeline \"{pipeline.Name}\": " +
                   (sharded.Count > 0 ? string.Join(", ", sharded) : "none");
        }
        var units = ShardKeys(pipeline, name);
        if (shard < 0 || shard >= units.Count)
            return $"--shard {shard}: stage \"{name}\" has {units.Count} unit(s) in profile \"{pipeline.Profile}\", so the shard must be 0..{units.Count - 1}";
        return null;
    }
}
