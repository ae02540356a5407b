using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Nis.Training;

namespace Boltzmann.Stages.Nis.Tests;

/// <summary>
/// phi4-nis-train as a sharded stage (a unit per kappa): the units run as shards and then gathered give the same loss
/// curves (bytes) and the same training table but for its wall times as a plain run in a fresh cache. (The checkpoints'
/// headers record training seconds, so their bytes differ between any two runs.)
/// </summary>
public class NisTrainShardTests
{
    [Fact]
    public async Task UnitsRunAsShardsThenGatheredGiveThePlainRunsLossCurves()
    {
        using var ws = new NisWorkspace();
        var p = ws.Load("""
            { "name": "nis-shards", "seed": 9, "stages": [
              { "name": "train", "kind": "phi4-nis-train",
                "params": { "l": 4, "t": 4, "lambda": 0.022, "kappas": [0.1, 0.2], "objective": "reverse", "steps": 12, "batch": 16,
                            "checkpoint_interval": 5, "couplings": 2, "hidden_layers": 1, "channels": 4 } } ] }
            """);
        Assert.Equal(["kappa-000", "kappa-001"], PipelinePlan.ShardKeys(p, "train").Select(u => u.Unit.Label));
        var run = await ShardedRuns.RunBothWaysAsync(ws, p, "train", new RunOptions(Device: "cpu"));
        Assert.All(run.Gathered.Units!, u => Assert.Equal(StageStatus.Cached, u.Status));
        var plain = ShardedRuns.FileHashes(run.Plain.Directory);
        var gathered = ShardedRuns.FileHashes(run.Gathered.Directory);
        Assert.Equal(plain.Keys, gathered.Keys);
        foreach (var i in new[] { 0, 1 })
            Assert.Equal(plain[Phi4NisTrainStage.LossTable(i) + ".parquet"], gathered[Phi4NisTrainStage.LossTable(i) + ".parquet"]);
        var a = Boltzmann.Data.Tables.TableFile.Read(Path.Combine(run.Plain.Directory, Phi4NisTrainStage.TrainingTable + ".parquet"));
        var b = Boltzmann.Data.Tables.TableFile.Read(Path.Combine(run.Gathered.Directory, Phi4NisTrainStage.TrainingTable + ".parquet"));
        Assert.Equal(a.Columns.Select(c => c.Name), b.Columns.Select(c => c.Name));
        foreach (var column in new[] { "kappa", "lambda", "steps", "final_loss", "batch" })
            Assert.Equal(Enumerable.Range(0, 2).Select(r => a[column][r]), Enumerable.Range(0, 2).Select(r => b[column][r]));
    }
}
