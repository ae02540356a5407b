using System.Diagnostics;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Sk.Tests;

/// <summary>
/// A run waiting for another run's lock on a stage says who holds it and stops on cancellation, and asks the scheduler
/// probe it was given about a holder on another node.
/// </summary>
public class LockWaitTests
{
    private const string OneStage = """
    { "name": "lock-test", "seed": 7,
      "stages": [ { "name": "instances", "kind": "sk-instances", "params": { "n": 10, "count": 1 } } ] }
    """;

    [Fact]
    public async Task Cancelling_a_run_that_waits_for_another_runs_lock_stops_it_promptly()
    {
        using var ws = new TestWorkspace();
        var p = ws.Load(OneStage);
        var key = PipelinePlan.Keys(p)["instances"];
        using var other = new ArtifactCache(ws.Cache).BeginWrite(key, TimeSpan.FromSeconds(10));

        using var cts = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        // A fixed 20 s timeout bounds the test if the wait ignores the token.
        var run = ws.RunAsync(p, new RunOptions(LockTimeout: TimeSpan.FromSeconds(20)), cts.Token);
        while (!ws.Log.Lines.Any(l => l.Contains("waiting for")) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains(ws.Log.Lines, l => l.StartsWith("warn: instances: waiting for", StringComparison.Ordinal) && l.Contains($"pid {Environment.ProcessId}"));
    }

    private sealed class DeadJobs : IJobLivenessProbe
    {
        public int Asked;

        public JobLiveness Probe(string jobId)
        {
            Interlocked.Increment(ref Asked);
            return jobId == "777" ? JobLiveness.Dead : JobLiveness.Alive;
        }
    }

    [Fact]
    public async Task The_runner_asks_its_scheduler_probe_about_a_holder_on_another_node()
    {
        using var ws = new TestWorkspace();
        var p = ws.Load(OneStage);
        var key = PipelinePlan.Keys(p)["instances"];
        var cache = new ArtifactCache(ws.Cache);
        var other = cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        // The holder record of a run in SLURM job 777 on another node (pid, host, since in Unix ms, job id).
        File.WriteAllText(LockHolder.SidecarPath(cache.LockFilePath(key)), "4242\nnode-17\n0\n777\n");
        var jobs = new DeadJobs();

        var run = new PipelineRunner(cache, SilentProgress.Instance, ws.Log, ws.Artifacts, jobs).RunAsync(p, new RunOptions(), CancellationToken.None);
        var clock = Stopwatch.StartNew();
        while (!ws.Log.Lines.Any(l => l.Contains("has ended according to the scheduler")) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        Assert.Contains(ws.Log.Lines, l => l.StartsWith("warn: instances: the lock's holder (pid 4242 on node-17", StringComparison.Ordinal) && l.Contains("SLURM job 777"));
        Assert.False(run.IsCompleted, "within the dead-holder grace the lock is waited for");
        other.Dispose(); // released (the file server let go of the dead node's lock): the run goes on
        var report = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(StageStatus.Computed, Assert.Single(report.Stages).Status);
        Assert.True(jobs.Asked >= 1);
    }
}
