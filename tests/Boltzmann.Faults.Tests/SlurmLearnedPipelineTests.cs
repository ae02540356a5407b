using Boltzmann.Cli.Slurm;

namespace Boltzmann.Faults.Tests;

/// <summary>
/// A learned pipeline (sk-flow, smoke profile) through the slurm executor: its sharded flow-training stages run as job
/// arrays (one task per instance and temperature) followed by gather jobs, and every cache key and output byte equals a
/// local run's.
/// </summary>
[Trait("Category", "Slurm")]
public sealed class SlurmLearnedPipelineTests
{
    private const string Pipeline = "sk-flow";

    [SlurmFact]
    public void The_sk_flow_smoke_profile_through_job_arrays_has_the_local_keys_and_bytes()
    {
        using var local = new FaultRepo();
        local.CopyRepoPipeline(Pipeline);
        var localRun = local.Run("run", Pipeline, "--profile", "smoke", "--device", "cpu");
        Assert.True(localRun.Code == 0, $"local run failed ({localRun.Code}):\n{localRun.Out}\n{localRun.Err}");

        using var cluster = new FaultRepo();
        cluster.CopyRepoPipeline(Pipeline);
        using (var run = cluster.Start("run", Pipeline, "--profile", "smoke", "--device", "cpu", "--executor", "slurm", "--wait"))
        {
            var (code, stdout, stderr) = run.WaitForExit(TimeSpan.FromMinutes(15));
            Assert.True(code == 0, $"slurm run failed ({code}):\n{stdout}\n{stderr}");
            Assert.Contains("every selected stage is cached", stdout);
        }
        var record = Assert.Single(SubmissionRecord.All(cluster.Cache, Pipeline));
        var arrays = record.Jobs.Where(j => j.Role == "shards").ToList();
        Assert.NotEmpty(arrays);
        Assert.All(arrays, a => Assert.Contains(record.Jobs, j => j.Stage == a.Stage && j.Role == "gather"));
        // One log per array task, named by SLURM's %A_%a.
        foreach (var a in arrays)
            foreach (var task in a.Array!.Split(','))
                Assert.True(File.Exists(a.LogOf(task)), $"missing log {a.LogOf(task)}");

        Assert.Equal(local.Keys(Pipeline), cluster.Keys(Pipeline));
        // Weights, checkpoints, samples and every estimate are byte-identical; only wall-clock records may differ (as
        // they do between two local runs).
        var actual = new SortedDictionary<string, string>(FaultRepo.Outputs(cluster.Cache)
            .Where(kv => !kv.Key.StartsWith(SubmissionRecord.RunsFolder + "/", StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);
        var cacheDiffs = WallClockInsensitive.Differences(local.Cache, FaultRepo.Outputs(local.Cache), cluster.Cache, actual);
        Assert.True(cacheDiffs.Count == 0, "cache outputs differ from the local run: " + string.Join(", ", cacheDiffs));
        Assert.Contains(actual.Keys, k => k.StartsWith("sk-flow-train/", StringComparison.Ordinal) && k.EndsWith(".ckpt", StringComparison.Ordinal)); // trained weights compared
        var published = WallClockInsensitive.Differences(local.Artifacts, FaultRepo.Outputs(local.Artifacts), cluster.Artifacts, FaultRepo.Outputs(cluster.Artifacts));
        Assert.True(published.Count == 0, "published figures differ from the local run: " + string.Join(", ", published));
    }
}
