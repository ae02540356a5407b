using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Pipelines.Tests;

/// <summary>
/// The engine's sharded stages, on a test-only kind whose units each draw one number from their own stream: unit keys,
/// <see cref="RunOptions.Shard"/> runs, gathering from cached units, and what a failing unit leaves behind.
/// </summary>
public sealed class ShardedStageTests : IDisposable
{
    private sealed record SourceParameters(int Offset);

    /// <summary>A plain upstream stage: writes its offset, which every unit adds to its draw.</summary>
    private sealed class SourceKind : StageKind<SourceParameters>
    {
        public int Runs;
        public override string Kind => "test-source";
        public override int Version => 1;
        public override StagePhase Phase => StagePhase.Generate;
        public override string Description => "writes offset.txt";
        protected override SourceParameters Parse(ParameterReader reader) => new(reader.Int("offset", 0));
        protected override Task RunAsync(StageContext context, SourceParameters parameters)
        {
            Interlocked.Increment(ref Runs);
            File.WriteAllText(context.OutputPath("offset.txt"), parameters.Offset.ToString(CultureInfo.InvariantCulture));
            return Task.CompletedTask;
        }
    }

    private sealed record DrawParameters(double[] Values);

    /// <summary>One unit per value: writes units/&lt;label&gt;.txt = value + offset + a draw from the unit's stream; gather concatenates them.</summary>
    private sealed class DrawKind : ShardedStageKind<DrawParameters>
    {
        public readonly ConcurrentDictionary<string, int> UnitRuns = new(StringComparer.Ordinal);
        public int Gathers;
        public string? FailOn;

        public override string Kind => "test-draw";
        public override int Version => 1;
        public override StagePhase Phase => StagePhase.Train;
        public override string Description => "one draw per value";
        public override IReadOnlyList<UpstreamSlot> Upstream => [new("source", ["test-source"])];

        protected override DrawParameters Parse(ParameterReader reader) => new(reader.OptionalDoubleList("values") ?? [1.0]);

        protected override IReadOnlyList<ShardUnit> Units(DrawParameters parameters, IReadOnlyDictionary<string, ResolvedStage> upstream) =>
            [.. parameters.Values.Select((v, i) => new ShardUnit(i, $"v{v.ToString(CultureInfo.InvariantCulture)}", new JsonObject { ["value"] = v }))];

        protected override Task RunUnitAsync(StageContext context, DrawParameters parameters, ShardUnit unit)
        {
            UnitRuns.AddOrUpdate(unit.Label, 1, (_, n) => n + 1);
            File.WriteAllText(context.OutputPath($"units/{unit.Label}.partial"), "written before the failure point");
            if (unit.Label == FailOn) throw new InvalidOperationException($"unit {unit.Label} fails on cue");
            File.Delete(context.OutputPath($"units/{unit.Label}.partial"));
            int offset = int.Parse(File.ReadAllText(context.Input("source").PathOf("offset.txt")), CultureInfo.InvariantCulture);
            using (context.Progress.Start("draw", 1, "draws")) { }
            var rng = context.Stream("draw", unit.Index);
            double x = parameters.Values[unit.Index] + offset + rng.NextDouble();
            File.WriteAllText(context.OutputPath($"units/{unit.Label}.txt"), x.ToString("R", CultureInfo.InvariantCulture));
            return Task.CompletedTask;
        }

        protected override Task GatherAsync(StageContext context, DrawParameters parameters, IReadOnlyList<ShardArtifact> units)
        {
            Interlocked.Increment(ref Gathers);
            ShardOutputs.CopyAll(context, units);
            File.WriteAllLines(context.OutputPath("all.txt"),
                units.Select(u => File.ReadAllText(Path.Combine(u.Directory, "units", u.Unit.Label + ".txt"))));
            return Task.CompletedTask;
        }
    }

    private const string Pipeline = """
        { "name": "draws", "seed": 7, "stages": [
          { "name": "source", "kind": "test-source", "params": { "offset": 10 } },
          { "name": "draws", "kind": "test-draw", "upstream": { "source": "source" }, "params": { "values": [0.5, 1.5, 2.5] } } ] }
        """;

    private readonly SourceKind _source = new();
    private readonly DrawKind _draw = new();
    private readonly PipelineWorkspace _ws;

    public ShardedStageTests() => _ws = new PipelineWorkspace(() => new StageRegistry().Add(_source).Add(_draw), Profiles.Default);

    public void Dispose() => _ws.Dispose();

    private static RunOptions Shard(int k) => new(Stages: ["draws"], Shard: k);

    private static SortedDictionary<string, string> FileHashes(string dir) => ShardedRuns.FileHashes(dir);

    [Fact]
    public void UnitKeysAreStableDistinctAndFollowTheStageKey()
    {
        var p = _ws.Load(Pipeline);
        var units = PipelinePlan.ShardKeys(p, "draws");
        Assert.Equal(["v0.5", "v1.5", "v2.5"], units.Select(u => u.Unit.Label));
        Assert.Equal(3, units.Select(u => u.Key.Full).Distinct().Count());
        Assert.All(units, u => Assert.Equal("test-draw" + PipelinePlan.UnitKindSuffix, u.Key.Kind));
        Assert.All(units, u => Assert.Equal(PipelinePlan.Keys(p)["draws"].Full, u.Key.UpstreamKeys[PipelinePlan.UnitUpstreamName]));

        // Same pipeline loaded again: same keys.
        Assert.Equal(units.Select(u => u.Key.Full), PipelinePlan.ShardKeys(_ws.Load(Pipeline), "draws").Select(u => u.Key.Full));
        // Not a sharded stage: no units.
        Assert.Empty(PipelinePlan.ShardKeys(p, "source"));

        // An upstream change changes the stage key and so every unit key, even of a unit whose own canonical JSON is the same.
        var changed = PipelinePlan.ShardKeys(_ws.Load(Pipeline.Replace("\"offset\": 10", "\"offset\": 11")), "draws");
        Assert.All(changed.Zip(units), pair => Assert.NotEqual(pair.Second.Key.Full, pair.First.Key.Full));
        // A different seed changes them too.
        var reseeded = PipelinePlan.ShardKeys(_ws.Load(Pipeline.Replace("\"seed\": 7", "\"seed\": 8")), "draws");
        Assert.All(reseeded.Zip(units), pair => Assert.NotEqual(pair.Second.Key.Full, pair.First.Key.Full));
    }

    [Fact]
    public async Task AShardRunComputesOnlyThatUnitAndDoesNotGather()
    {
        var p = _ws.Load(Pipeline);
        var report = await _ws.RunAsync(p, Shard(1));

        Assert.Equal(["v1.5"], _draw.UnitRuns.Keys);
        Assert.Equal(0, _draw.Gathers);
        Assert.Equal(1, _source.Runs); // the upstream closure runs as usual
        var cache = new ArtifactCache(_ws.Cache);
        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(PipelinePlan.Keys(p)["draws"]).Status);
        var units = PipelinePlan.ShardKeys(p, "draws");
        Assert.Equal([false, true, false], units.Select(u => cache.Lookup(u.Key).IsHit));

        var outcome = report.Stages.Last();
        Assert.Equal("draws[v1.5]", outcome.Stage);
        Assert.Equal(units[1].Key.Short, outcome.Key);
        Assert.Equal(StageStatus.Computed, outcome.Status);
        Assert.True(File.Exists(Path.Combine(outcome.Directory, "units", "v1.5.txt")));
        Assert.Equal("v1.5", cache.Lookup(units[1].Key).Artifact!.Manifest.Extra[PipelineRunner.UnitLabelExtra]);
        Assert.Null(report.PublishedTo);
        Assert.Contains(_ws.Log.Lines, l => l.Contains("draws[v1.5]: running test-draw.unit"));

        // The same shard again: cached, not recomputed.
        var again = await _ws.RunAsync(p, Shard(1));
        Assert.Equal(StageStatus.Cached, again.Stages.Last().Status);
        Assert.Equal(1, _draw.UnitRuns["v1.5"]);
    }

    [Fact]
    public async Task AfterEveryShardRanAPlainRunOnlyGathersAndEqualsARunWithoutShards()
    {
        var p = _ws.Load(Pipeline);
        for (var k = 0; k < 3; k++) await _ws.RunAsync(p, Shard(k));
        Assert.All(_draw.UnitRuns.Values, n => Assert.Equal(1, n));

        var gathered = await _ws.RunAsync(p);
        var stage = gathered.Stages.Single(s => s.Stage == "draws");
        Assert.Equal(StageStatus.Computed, stage.Status);
        Assert.All(stage.Units!, u => Assert.Equal(StageStatus.Cached, u.Status));
        Assert.All(_draw.UnitRuns.Values, n => Assert.Equal(1, n)); // no unit recomputed
        Assert.Equal(1, _draw.Gathers);

        // The reference: the same pipeline run plainly in a fresh cache computes every unit in process.
        var plain = await _ws.RunAsync(p, cacheRoot: Path.Combine(_ws.Root, "plain"));
        var plainStage = plain.Stages.Single(s => s.Stage == "draws");
        Assert.All(plainStage.Units!, u => Assert.Equal(StageStatus.Computed, u.Status));
        Assert.Equal(stage.Key, plainStage.Key);
        Assert.Equal(FileHashes(plainStage.Directory), FileHashes(stage.Directory));
        Assert.Equal(4, FileHashes(stage.Directory).Count); // three units and all.txt

        // Distinct units drew distinct numbers (their streams differ), and the whole stage is now cached as one.
        Assert.Equal(3, File.ReadAllLines(Path.Combine(stage.Directory, "all.txt")).Distinct().Count());
        var third = await _ws.RunAsync(p);
        var cached = third.Stages.Single(s => s.Stage == "draws");
        Assert.Equal(StageStatus.Cached, cached.Status);
        Assert.Null(cached.Units);
        Assert.Equal(2, _draw.Gathers); // the first gather and the plain reference's
    }

    [Fact]
    public async Task AFailingUnitCommitsNothingAndARerunComputesOnlyWhatIsMissing()
    {
        var p = _ws.Load(Pipeline);
        _draw.FailOn = "v1.5";
        await Assert.ThrowsAsync<InvalidOperationException>(() => _ws.RunAsync(p));
        var cache = new ArtifactCache(_ws.Cache);
        var units = PipelinePlan.ShardKeys(p, "draws");
        Assert.Equal([CacheLookupStatus.Hit, CacheLookupStatus.Miss, CacheLookupStatus.Miss], units.Select(u => cache.Lookup(u.Key).Status));
        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(PipelinePlan.Keys(p)["draws"]).Status);
        Assert.False(Directory.Exists(cache.ArtifactDirectory(units[1].Key)));
        Assert.True(File.Exists(Path.Combine(cache.WorkDirectory(units[1].Key), "units", "v1.5.partial"))); // only in its work directory
        Assert.Equal(0, _draw.Gathers);

        _draw.FailOn = null;
        var rerun = await _ws.RunAsync(p);
        Assert.Equal(1, _draw.UnitRuns["v0.5"]); // committed before the failure: reused
        Assert.Equal(2, _draw.UnitRuns["v1.5"]);
        Assert.Equal(1, _draw.UnitRuns["v2.5"]);
        Assert.Contains(_ws.Log.Lines, l => l.Contains("draws[v1.5]: resuming"));
        var stage = rerun.Stages.Single(s => s.Stage == "draws");
        Assert.Equal([StageStatus.Cached, StageStatus.Computed, StageStatus.Computed], stage.Units!.Select(u => u.Status));
        // The partial file of the failed attempt is gone from the committed unit (the unit deleted it on success).
        Assert.False(File.Exists(Path.Combine(stage.Units![1].Directory, "units", "v1.5.partial")));

        var plain = await _ws.RunAsync(p, cacheRoot: Path.Combine(_ws.Root, "plain"));
        Assert.Equal(FileHashes(plain.Stages.Single(s => s.Stage == "draws").Directory), FileHashes(stage.Directory));
    }

    [Fact]
    public async Task ForceRecomputesEveryUnitOrOnlyTheShardedOne()
    {
        var p = _ws.Load(Pipeline);
        await _ws.RunAsync(p);
        await _ws.RunAsync(p, Shard(2) with { Force = true });
        Assert.Equal([1, 1, 2], _draw.UnitRuns.OrderBy(kv => kv.Key).Select(kv => kv.Value));
        var forced = await _ws.RunAsync(p, new RunOptions(Stages: ["draws"], Force: true));
        Assert.Equal([2, 2, 3], _draw.UnitRuns.OrderBy(kv => kv.Key).Select(kv => kv.Value));
        Assert.Equal(StageStatus.Forced, forced.Stages.Last().Status);
        Assert.Equal(1, _source.Runs);
    }

    [Theory]
    [InlineData(null, 0, "exactly one --stage")]
    [InlineData("source", 0, "is not sharded; sharded stages of pipeline \"draws\": draws")]
    [InlineData("draws", 3, "has 3 unit(s)")]
    [InlineData("draws", -1, "must be 0..2")]
    [InlineData("nope", 0, "has no such stage")]
    public async Task AnInvalidShardSelectionIsRejectedBeforeAnythingRuns(string? stage, int shard, string message)
    {
        var p = _ws.Load(Pipeline);
        var options = new RunOptions(Stages: stage is null ? null : [stage], Shard: shard);
        Assert.Contains(message, PipelinePlan.ShardProblem(p, options.Stages, shard));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _ws.RunAsync(p, options));
        Assert.Contains(message, e.Message);
        Assert.Equal(0, _source.Runs);
        Assert.Null(PipelinePlan.ShardProblem(p, ["draws"], 2));
    }

    [Fact]
    public async Task UnitProgressNamesTheUnit()
    {
        var seen = new List<string>();
        await _ws.RunAsync(_ws.Load(Pipeline), Shard(0), progress: new RecordingProgress(seen));
        Assert.Equal(["[v0.5] draw"], seen);
    }

    private sealed class RecordingProgress(List<string> seen) : IProgressSink
    {
        public IProgressTask Start(string description, long total, string unit)
        {
            seen.Add(description);
            return SilentProgress.Instance.Start(description, total, unit);
        }
    }
}
