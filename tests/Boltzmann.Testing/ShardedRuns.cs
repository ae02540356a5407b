using System.Security.Cryptography;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Testing;

/// <summary>A sharded stage run both ways: plainly in a fresh cache, and unit by unit (as array tasks) then gathered.</summary>
/// <param name="Plain">The stage's outcome in the plain run (every unit computed in process).</param>
/// <param name="Shards">The outcome of each <see cref="RunOptions.Shard"/> run, in unit order.</param>
/// <param name="Gathered">The stage's outcome in the plain run after every shard ran (it must only gather).</param>
public sealed record ShardedComparison(StageOutcome Plain, IReadOnlyList<StageOutcome> Shards, StageOutcome Gathered);

public static class ShardedRuns
{
    /// <summary>
    /// Runs <paramref name="stage"/> (and its upstream) plainly in a cache of its own, then in the workspace's cache
    /// every unit as a shard, last unit first (array tasks finish in any order), then plainly again, which gathers.
    /// </summary>
    public static async Task<ShardedComparison> RunBothWaysAsync(PipelineWorkspace ws, ResolvedPipeline pipeline, string stage, RunOptions? options = null)
    {
        var selection = (options ?? new RunOptions()) with { Stages = [stage] };
        var plain = await ws.RunAsync(pipeline, selection, cacheRoot: Path.Combine(ws.Root, "plain-cache"));
        int units = PipelinePlan.ShardKeys(pipeline, stage).Count;
        var shards = new StageOutcome[units];
        for (int k = units - 1; k >= 0; k--)
            shards[k] = (await ws.RunAsync(pipeline, selection with { Shard = k })).Stages[^1];
        var gathered = await ws.RunAsync(pipeline, selection);
        return new ShardedComparison(plain.Stages.Single(s => s.Stage == stage), shards, gathered.Stages.Single(s => s.Stage == stage));
    }

    /// <summary>SHA-256 of every file of an artifact but its manifest (which records wall times), by relative path ('/'-separated), sorted.</summary>
    public static SortedDictionary<string, string> FileHashes(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) != ArtifactCache.ManifestFileName)
                .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'),
                              f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))),
            StringComparer.Ordinal);
}
