using System.Diagnostics;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Sk.Tests;

/// <summary>A run waiting for another run's lock on a stage says who holds it and stops on cancellation.</summary>
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
}
