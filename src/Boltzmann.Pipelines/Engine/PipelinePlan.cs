using Boltzmann.Data.Cache;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// The cache key of every stage, computed without running anything: a key hashes (kind, version,
/// canonical parameters, stage seed, upstream keys), so a change anywhere upstream changes every key below it.
/// </summary>
public static class PipelinePlan
{
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
}
