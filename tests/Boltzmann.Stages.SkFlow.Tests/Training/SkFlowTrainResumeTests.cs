using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.SkFlow.Tests.Training;

/// <summary>
/// A run cancelled in the middle of training and then resumed produces the same final weights (byte-identical
/// RealNvpCheckpoint files) and the same loss log (every column but wall time) as an uninterrupted run; flows that had
/// finished before the interruption (committed units of the sharded stage) are not retrained.
/// </summary>
public class SkFlowTrainResumeTests
{
    private static string Params(string objective) =>
        $"\"objective\": \"{objective}\", \"temperatures\": [1.0, 2.0], \"steps\": 160, \"batch\": 50, \"learning_rate\": 0.002, " +
        "\"log_interval\": 5, \"eval_interval\": 20, \"checkpoint_interval\": 50, \"hidden_width\": 16";

    [Theory]
    [InlineData("forward")]
    [InlineData("reverse")]
    [InlineData("online")]
    public async Task InterruptedRunResumesBitIdentically(string objective)
    {
        var json = FlowWorkspace.Pipeline(Params(objective), samples: 1000);
        using var reference = new FlowWorkspace();
        var uninterrupted = (await reference.RunAsync(reference.Load(json))).Stages.Single(s => s.Stage == "train");

        using var ws = new FlowWorkspace();
        var pipeline = ws.Load(json);
        using (var cts = new CancellationTokenSource())
        {
            // Second flow (T = 2), between checkpoints: the trainer checkpoints step 73 on cancellation.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ws.RunAsync(pipeline, ct: cts.Token, progress: new CancelAtStep(cts, 73, flow: 1)));
        }
        var resumed = (await ws.RunAsync(pipeline)).Stages.Single(s => s.Stage == "train");
        // The first flow finished before the kill: its unit was committed, so the rerun reuses it from the cache.
        Assert.Contains(ws.Log.Lines, l => l.Contains("train[i0-T1]: cached"));
        Assert.Contains(ws.Log.Lines, l => l.Contains("T = 2: resuming at step 73"));

        var a = TrainedFlowIndex.Read(new UpstreamArtifact(null!, uninterrupted.Directory, null!));
        var b = TrainedFlowIndex.Read(new UpstreamArtifact(null!, resumed.Directory, null!));
        Assert.Equal(a.Select(f => (f.Checkpoint, f.LossTable, f.Steps, f.FinalLoss)), b.Select(f => (f.Checkpoint, f.LossTable, f.Steps, f.FinalLoss)));
        foreach (var f in a)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(uninterrupted.Directory, f.Checkpoint)), File.ReadAllBytes(Path.Combine(resumed.Directory, f.Checkpoint)));
            var la = TableFile.Read(Path.Combine(uninterrupted.Directory, f.LossTable));
            var lb = TableFile.Read(Path.Combine(resumed.Directory, f.LossTable));
            AssertSameExceptWallTime(la, lb, f.LossTable);
            if (objective == "online")
            {
                // Every step trained on configurations PT produced after the previous step's: pt_sweep strictly increases.
                var sweeps = Enumerable.Range(0, (int)la.Rows.Count).Select(r => (double)la["pt_sweep"][r]).ToArray();
                Assert.All(sweeps.Zip(sweeps.Skip(1)), p => Assert.True(p.Second > p.First, $"pt_sweep {p.First} then {p.Second}"));
            }
        }
    }

    internal static void AssertSameExceptWallTime(DataFrame a, DataFrame b, string what)
    {
        Assert.Equal(a.Columns.Select(c => c.Name), b.Columns.Select(c => c.Name));
        Assert.Equal(a.Rows.Count, b.Rows.Count);
        foreach (var column in a.Columns.Select(c => c.Name).Where(n => n != "wall_seconds"))
            for (long r = 0; r < a.Rows.Count; r++)
            {
                var x = Convert.ToDouble(a[column][r]);
                var y = Convert.ToDouble(b[column][r]);
                Assert.True(BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y), $"{what}: {column} row {r}: {x:R} vs {y:R}");
            }
    }
}
