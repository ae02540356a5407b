using System.Diagnostics;
using System.Text.Json.Nodes;
using Boltzmann.Cli.Slurm;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Faults.Tests;

/// <summary>
/// The slurm executor on a real cluster (CI: the single-node cluster of .ci/slurm-up.sh): smoke pipelines through
/// SLURM give the local executor's keys and bytes, a failed job leaves its dependants unrun and is reported with its
/// log, scancel mid-run leaves no visible half artifact, and a second submission runs only what is missing.
/// </summary>
[Trait("Category", "Slurm")]
public sealed class SlurmClusterTests(SkPtReference reference) : IClassFixture<SkPtReference>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A repository pipeline whose stages each ask for one CPU, so two jobs share the two-CPU CI node. Resources are
    /// not part of the keys: the local reference, run from the unchanged file, has the same keys.
    /// </summary>
    private static void CopyWithOneCpuPerStage(FaultRepo repo, string pipeline)
    {
        var root = JsonNode.Parse(File.ReadAllText(RepoPipelines.File(pipeline)),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        foreach (var stage in root["stages"]!.AsArray()) stage!["resources"] = new JsonObject { ["cpus"] = 1, ["memory"] = "2G" };
        repo.WritePipeline(pipeline, root.ToJsonString());
        Assert.Equal(new PipelineLoader(Boltzmann.Cli.StageCatalog.CreateRegistry()).LoadFile(RepoPipelines.File(pipeline), Profiles.Smoke) is var p
            ? PipelinePlan.Keys(p) : null, repo.Keys(pipeline));
    }

    private static (int Code, string Out, string Err) Submit(FaultRepo repo, string pipeline, params string[] extra)
    {
        using var run = repo.Start(["run", pipeline, "--profile", "smoke", "--device", "cpu", "--executor", "slurm", .. extra]);
        return run.WaitForExit(Patience);
    }

    /// <summary>Cache outputs without the run folders (job scripts, logs, job records differ from a local run by nature).</summary>
    private static SortedDictionary<string, string> CacheOutputs(FaultRepo repo) =>
        new(FaultRepo.Outputs(repo.Cache).Where(kv => !kv.Key.StartsWith(SubmissionRecord.RunsFolder + "/", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);

    private void AssertSameAsLocal(FaultRepo repo)
    {
        var cache = CacheOutputs(repo);
        Assert.Equal(reference.CacheOutputs.Keys, cache.Keys);
        foreach (var (path, hash) in reference.CacheOutputs) Assert.True(hash == cache[path], $"cache output {path} differs from the local run");
        var published = FaultRepo.Outputs(repo.Artifacts);
        Assert.Equal(reference.Published.Keys, published.Keys);
        foreach (var (path, hash) in reference.Published) Assert.True(hash == published[path], $"published {path} differs from the local run");
    }

    [SlurmFact]
    public void The_sk_pt_smoke_profile_through_slurm_has_the_local_keys_and_bytes()
    {
        using var repo = new FaultRepo();
        CopyWithOneCpuPerStage(repo, SkPtReference.Pipeline);
        var clock = Stopwatch.StartNew();
        var run = Submit(repo, SkPtReference.Pipeline, "--wait");
        Assert.True(run.Code == 0, $"slurm run failed ({run.Code}):\n{run.Out}\n{run.Err}");
        Console.WriteLine($"sk-pt smoke through SLURM: {clock.Elapsed.TotalSeconds:F1} s wall");
        // The two PT stages are sharded (a unit per instance; one instance each in the smoke profile): an array of one
        // task and a gather job each, so 9 stages are 11 jobs.
        Assert.Contains("0 of 9 stage(s) cached; submitting 11 job(s)", run.Out);
        Assert.Contains("all 11 job(s) completed", run.Out);
        AssertSameAsLocal(repo);
        var record = Assert.Single(SubmissionRecord.All(repo.Cache, SkPtReference.Pipeline));
        Assert.Equal(2, record.Jobs.Count(j => j.Role == "shards"));
        foreach (var j in record.Jobs)
            foreach (string? task in j.Array?.Split(',') ?? (string?[])[null])
                Assert.Contains($"{j.Stage}", File.ReadAllText(j.LogOf(task)));

        // Fully cached now: a second submission submits nothing.
        var again = Submit(repo, SkPtReference.Pipeline, "--wait");
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("9 of 9 stage(s) cached; submitting 0 job(s)", again.Out);
    }

    [SlurmFact]
    public void A_failed_job_leaves_its_dependants_unrun_is_reported_with_its_log_and_resubmission_runs_only_what_is_missing()
    {
        using var repo = new FaultRepo();
        CopyWithOneCpuPerStage(repo, SkPtReference.Pipeline);
        // The injected fault: a file where the sk-pt stages' cache folder goes, so both PT gather jobs fail taking their
        // lock (exit 1) while the instance and exact-enumeration jobs and the PT units (cached in sk-pt.unit) succeed.
        var blocker = repo.Write("data/sk-pt", "not a folder");
        var keys = repo.Keys(SkPtReference.Pipeline);
        var cache = new ArtifactCache(repo.Cache);

        var failed = Submit(repo, SkPtReference.Pipeline, "--wait");
        Assert.True(failed.Code == 1, $"expected exit 1:\n{failed.Out}\n{failed.Err}");
        var record = Assert.Single(SubmissionRecord.All(repo.Cache, SkPtReference.Pipeline));
        foreach (var pt in new[] { "small-pt", "large-pt" })
        {
            var job = record.Jobs.Single(j => j.Stage == pt && j.Role == "gather");
            Assert.Contains($"failed: {pt} (job {job.JobId}, FAILED); log: {job.Log}", failed.Out);
            Assert.Contains(blocker, File.ReadAllText(job.Log)); // the log names the cause
        }
        Assert.Contains("never ran", failed.Out);
        foreach (var downstream in new[] { "small-observables", "small-figures", "large-observables", "large-figures" })
        {
            Assert.NotEqual(CacheLookupStatus.Hit, cache.Lookup(keys[downstream]).Status);
            Assert.False(File.Exists(record.Jobs.Single(j => j.Stage == downstream).Log), $"{downstream} must not have started");
        }
        foreach (var upstream in new[] { "small-instances", "small-exact", "large-instances" })
            Assert.Equal(CacheLookupStatus.Hit, cache.Lookup(keys[upstream]).Status);

        foreach (var unit in repo.UnitKeys(SkPtReference.Pipeline, "small-pt").Concat(repo.UnitKeys(SkPtReference.Pipeline, "large-pt")))
            Assert.Equal(CacheLookupStatus.Hit, cache.Lookup(unit).Status);

        File.Delete(blocker);
        // The units are cached: each PT stage is one gather job now.
        var resubmitted = Submit(repo, SkPtReference.Pipeline, "--wait");
        Assert.True(resubmitted.Code == 0, $"resubmission failed ({resubmitted.Code}):\n{resubmitted.Out}\n{resubmitted.Err}");
        Assert.Contains("3 of 9 stage(s) cached; submitting 6 job(s)", resubmitted.Out);
        AssertSameAsLocal(repo);
    }

    [SlurmFact]
    public void Scancel_mid_run_leaves_no_visible_half_artifact_and_resubmission_completes()
    {
        using var repo = new FaultRepo();
        CopyWithOneCpuPerStage(repo, SkPtReference.Pipeline);
        var keys = repo.Keys(SkPtReference.Pipeline);
        var cache = new ArtifactCache(repo.Cache);
        // small-pt is sharded: its one unit samples in the unit's work directory before the gather commits the stage.
        var ptWork = cache.WorkDirectory(Assert.Single(repo.UnitKeys(SkPtReference.Pipeline, "small-pt")));

        var submitted = Submit(repo, SkPtReference.Pipeline);
        Assert.True(submitted.Code == 0, submitted.Err);
        var record = Assert.Single(SubmissionRecord.All(repo.Cache, SkPtReference.Pipeline));
        var slurm = new SlurmCommands();
        var ids = record.Jobs.Select(j => j.JobId).ToList();
        // Cancel while small-pt is being computed (its work directory exists and it is not committed yet).
        var clock = Stopwatch.StartNew();
        while (!Directory.Exists(ptWork) && cache.Lookup(keys["small-pt"]).Status != CacheLookupStatus.Hit && clock.Elapsed < Patience) Thread.Sleep(5);
        var cancel = repo.Run("cancel", SkPtReference.Pipeline);
        Assert.True(cancel.Code == 0, cancel.Err);
        Assert.Contains("cancelled job", cancel.Out);
        while (slurm.Query(ids).Any(t => t.IsActive) && clock.Elapsed < Patience) Thread.Sleep(100);
        Assert.DoesNotContain(slurm.Query(ids), t => t.IsActive);

        // Every stage is either committed in full (a verified hit) or has no artifact folder at all.
        foreach (var (stage, key) in keys)
            Assert.True(cache.Lookup(key).Status == CacheLookupStatus.Hit || !Directory.Exists(cache.ArtifactDirectory(key)),
                $"{stage}: a half artifact is visible at {cache.ArtifactDirectory(key)}");
        Assert.Contains(keys.Values, k => cache.Lookup(k).Status != CacheLookupStatus.Hit); // the cancel did interrupt something

        var resubmitted = Submit(repo, SkPtReference.Pipeline, "--wait");
        Assert.True(resubmitted.Code == 0, $"resubmission failed ({resubmitted.Code}):\n{resubmitted.Out}\n{resubmitted.Err}");
        AssertSameAsLocal(repo);
    }
}
