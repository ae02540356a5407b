using System.Diagnostics;
using Boltzmann.Data.Cache;
using Boltzmann.Data.Tables;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Observables;

namespace Boltzmann.Stages.Sk.Tests;

public class PipelineRunnerTests
{
    [Fact]
    public async Task SecondRunIsFullyCachedAndFast()
    {
        using var ws = new TestWorkspace();
        var p = ws.Load(TestWorkspace.SmallSk);
        var clock = Stopwatch.StartNew();
        var first = await ws.RunAsync(p);
        var t1 = clock.Elapsed;
        Assert.All(first.Stages, s => Assert.Equal(StageStatus.Computed, s.Status));
        clock.Restart();
        var second = await ws.RunAsync(p);
        var t2 = clock.Elapsed;
        Assert.All(second.Stages, s => Assert.Equal(StageStatus.Cached, s.Status));
        Assert.True(t2 < t1, $"cached run {t2} should be faster than the first {t1}");
        Assert.Contains(ws.Log.Lines, l => l.Contains("pt: cached"));
        Assert.True(File.Exists(Path.Combine(ws.Artifacts, "sk-test", "figures", "sk-thermodynamics.png")));
    }

    [Fact]
    public async Task PtAgreesWithExactEnumerationThroughTheWholePipeline()
    {
        using var ws = new TestWorkspace();
        var report = await ws.RunAsync(ws.Load(TestWorkspace.SmallSk));
        var obs = report.Stages.Single(s => s.Stage == "observables");
        var t = TableFile.Read(Path.Combine(obs.Directory, SkPtObservablesStage.Thermo + ".parquet"));
        Assert.Equal(5, t.Rows.Count);
        foreach (var col in new[] { "z_energy", "z_specific_heat", "z_q2" })
            for (long r = 0; r < t.Rows.Count; r++)
            {
                double z = (double)t[col][r];
                Assert.True(Math.Abs(z) < 4, $"{col} at T = {t["temperature"][r]}: {z:F2} standard errors from exact");
            }
    }

    [Fact]
    public async Task CorruptedCachedFileIsDetectedAndRecomputed()
    {
        using var ws = new TestWorkspace();
        var p = ws.Load(TestWorkspace.SmallSk);
        var first = await ws.RunAsync(p);
        var ptDir = first.Stages.Single(s => s.Stage == "pt").Directory;
        var part = Directory.GetFiles(Path.Combine(ptDir, "samples"), "part-*.parquet").Order().First();
        var original = await File.ReadAllBytesAsync(part);
        var bytes = original.ToArray();
        bytes[bytes.Length / 2] ^= 0x5A;
        await File.WriteAllBytesAsync(part, bytes);

        var second = await ws.RunAsync(p);
        Assert.Equal(StageStatus.Recomputed, second.Stages.Single(s => s.Stage == "pt").Status);
        Assert.Equal(StageStatus.Cached, second.Stages.Single(s => s.Stage == "instances").Status);
        Assert.Contains(ws.Log.Lines, l => l.StartsWith("warn:") && l.Contains("pt") && l.Contains("part-"));
        Assert.Equal(original, await File.ReadAllBytesAsync(part)); // deterministic recomputation
    }

    [Fact]
    public async Task ChangedParameterRecomputesOnlyDownstreamAndForceRecomputesTheSelection()
    {
        using var ws = new TestWorkspace();
        await ws.RunAsync(ws.Load(TestWorkspace.SmallSk));
        var changed = ws.Load(TestWorkspace.SmallSk.Replace("\"blocks\": 20", "\"blocks\": 10"));
        var r = await ws.RunAsync(changed);
        Assert.Equal(StageStatus.Cached, r.Stages.Single(s => s.Stage == "pt").Status);
        Assert.Equal(StageStatus.Computed, r.Stages.Single(s => s.Stage == "observables").Status);
        Assert.Equal(StageStatus.Computed, r.Stages.Single(s => s.Stage == "figures").Status);

        var forced = await ws.RunAsync(changed, new RunOptions(Stages: ["exact"], Force: true));
        Assert.Equal(["instances", "exact"], forced.Stages.Select(s => s.Stage));
        Assert.Equal(StageStatus.Cached, forced.Stages[0].Status);
        Assert.Equal(StageStatus.Forced, forced.Stages[1].Status);
    }

    [Fact]
    public async Task ConcurrentRunsOfTheSamePipelineShareOneCacheSafely()
    {
        using var ws = new TestWorkspace();
        var p = ws.Load(TestWorkspace.SmallSk);
        var runs = await Task.WhenAll(
            Task.Run(() => ws.RunAsync(p)),
            Task.Run(() => ws.RunAsync(p)));
        // Every stage was computed exactly once; the other run waited on the lock and reused it.
        foreach (var stage in p.Stages.Select(s => s.Name))
        {
            var statuses = runs.Select(r => r.Stages.Single(s => s.Stage == stage).Status).ToList();
            Assert.Equal(1, statuses.Count(s => s == StageStatus.Computed));
            Assert.Equal(1, statuses.Count(s => s == StageStatus.Cached));
        }
        var cache = new ArtifactCache(ws.Cache);
        Assert.All(PipelinePlan.Keys(p).Values, k => Assert.Equal(CacheLookupStatus.Hit, cache.Lookup(k).Status));
    }

    [Fact]
    public async Task UntilPhaseRunsOnlyThoseStages()
    {
        using var ws = new TestWorkspace();
        var r = await ws.RunAsync(ws.Load(TestWorkspace.SmallSk), new RunOptions(UpTo: StagePhase.Generate));
        Assert.Equal(["instances", "pt"], r.Stages.Select(s => s.Stage));
        Assert.Null(r.PublishedTo);
    }

    [Fact]
    public async Task KilledPtStageResumesBitForBit()
    {
        // Uninterrupted reference in its own cache.
        using var ws = new TestWorkspace();
        var p = ws.Load(TestWorkspace.SmallSk);
        var reference = await ws.RunAsync(p, new RunOptions(Stages: ["pt"]), cacheRoot: Path.Combine(ws.Root, "reference"));
        var refDir = reference.Stages.Single(s => s.Stage == "pt").Directory;

        // Interrupted run: cancel once the sampler has done part of its sweeps (after some parts are written).
        using var cts = new CancellationTokenSource();
        var killer = CancelAfterProgress.OfUnit(cts, "sweeps", 1800);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ws.RunAsync(p, new RunOptions(Stages: ["pt"]), cts.Token, killer));
        var cache = new ArtifactCache(ws.Cache);
        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(PipelinePlan.Keys(p)["pt"]).Status);  // no half artifact visible
        // sk-pt is sharded (a unit per instance): the one instance's unit was sampling in its own work directory.
        var unitKey = Assert.Single(PipelinePlan.ShardKeys(p, "pt")).Key;
        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(unitKey).Status);
        var work = cache.WorkDirectory(unitKey);
        int partsBefore = Directory.GetFiles(Path.Combine(work, "samples"), "part-*.parquet").Length;
        Assert.InRange(partsBefore, 1, 5);

        var resumed = await ws.RunAsync(p, new RunOptions(Stages: ["pt"]));
        Assert.Contains(ws.Log.Lines, l => l.Contains("pt: resuming"));
        var dir = resumed.Stages.Single(s => s.Stage == "pt").Directory;
        var expected = Directory.GetFiles(Path.Combine(refDir, "samples")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(expected, Directory.GetFiles(Path.Combine(dir, "samples")).Select(Path.GetFileName).Order().ToList());
        foreach (var f in expected)
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(refDir, "samples", f!)), await File.ReadAllBytesAsync(Path.Combine(dir, "samples", f!)));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(refDir, "summary", "instance-000.json")),
                     await File.ReadAllTextAsync(Path.Combine(dir, "summary", "instance-000.json")));
    }
}
