using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Pt;

namespace Boltzmann.Stages.Sk.Tests;

/// <summary>
/// sk-pt as a sharded stage (a unit per disorder instance): every unit run on its own (last first, as array tasks may
/// finish), then gathered, gives byte-identical sample parts and summaries to a plain run in a fresh cache, under the
/// plain run's key, and the gather recomputes no unit; a unit killed mid-instance resumes from its own checkpoint to
/// the same bytes.
/// </summary>
public class PtShardTests
{
    private const string ThreeInstances = """
        { "name": "pt-shards", "seed": 11, "stages": [
          { "name": "instances", "kind": "sk-instances", "params": { "n": 8, "count": 3 } },
          { "name": "pt", "kind": "sk-pt", "upstream": { "instances": "instances" },
            "params": { "ladder": { "temperatures": [0.5, 1.0, 2.0] }, "burn_in": 50, "samples": 250, "samples_per_part": 100 } } ] }
        """;

    [Fact]
    public async Task InstanceUnitsGatherToThePlainRunsBytes()
    {
        using var ws = new TestWorkspace();
        var p = ws.Load(ThreeInstances);
        Assert.Equal(["instance-000", "instance-001", "instance-002"], PipelinePlan.ShardKeys(p, "pt").Select(u => u.Unit.Label));
        var run = await ShardedRuns.RunBothWaysAsync(ws, p, "pt");
        Assert.All(run.Shards, s => Assert.Equal(StageStatus.Computed, s.Status));
        Assert.All(run.Gathered.Units!, u => Assert.Equal(StageStatus.Cached, u.Status));
        Assert.Equal(run.Plain.Key, run.Gathered.Key);
        var plain = ShardedRuns.FileHashes(run.Plain.Directory);
        // 3 instances x 3 parts (100, 100, 50 samples), numbered globally, and one summary per instance.
        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"samples/part-{i:D5}.parquet"),
                     plain.Keys.Where(f => f.StartsWith("samples/", StringComparison.Ordinal)));
        Assert.Equal(["summary/instance-000.json", "summary/instance-001.json", "summary/instance-002.json"],
                     plain.Keys.Where(f => f.StartsWith("summary/", StringComparison.Ordinal)));
        Assert.Equal(plain, ShardedRuns.FileHashes(run.Gathered.Directory));
    }

    [Fact]
    public async Task AUnitKilledMidInstanceResumesToThePlainRunsBytes()
    {
        const string json = """
            { "name": "pt-kill", "seed": 11, "stages": [
              { "name": "instances", "kind": "sk-instances", "params": { "n": 8, "count": 3 } },
              { "name": "pt", "kind": "sk-pt", "upstream": { "instances": "instances" },
                "params": { "ladder": { "temperatures": [0.5, 1.0, 2.0] }, "burn_in": 50, "samples": 600, "samples_per_part": 100 } } ] }
            """;
        using var ws = new TestWorkspace();
        var p = ws.Load(json);
        var reference = await ws.RunAsync(p, new RunOptions(Stages: ["pt"]), cacheRoot: Path.Combine(ws.Root, "reference"));

        // Killed while the second instance samples (after 4 of its 6 parts' sweeps): its parts are global parts 6, 7, ...
        using var cts = new CancellationTokenSource();
        var killer = CancelAfterProgress.OfDescription(cts, "[instance-001]", 50 + 400);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ws.RunAsync(p, new RunOptions(Stages: ["pt"]), cts.Token, killer));
        var cache = new ArtifactCache(ws.Cache);
        var units = PipelinePlan.ShardKeys(p, "pt");
        Assert.Equal(CacheLookupStatus.Hit, cache.Lookup(units[0].Key).Status);
        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(units[1].Key).Status);
        var written = Directory.GetFiles(Path.Combine(cache.WorkDirectory(units[1].Key), SkParallelTemperingStage.SamplesDir), "part-*.parquet")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(written);
        Assert.All(written, f => Assert.InRange(int.Parse(f![5..10], System.Globalization.CultureInfo.InvariantCulture), 6, 11));

        var resumed = await ws.RunAsync(p, new RunOptions(Stages: ["pt"]));
        Assert.Contains(ws.Log.Lines, l => l.Contains("pt: resuming instance 1 at part ", StringComparison.Ordinal));
        Assert.Equal(ShardedRuns.FileHashes(reference.Stages.Single(s => s.Stage == "pt").Directory),
                     ShardedRuns.FileHashes(resumed.Stages.Single(s => s.Stage == "pt").Directory));
    }
}
