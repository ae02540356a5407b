using System.Text.Json.Nodes;
using Boltzmann.Data.Tables;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.SkFlow.Tests.Training;

/// <summary>
/// sk-flow-train as a sharded stage: every (instance, temperature) unit run on its own (as the tasks of a job array
/// would), then gathered, gives the same checkpoints (bytes), loss logs (every column but wall time) and index (every
/// field but wall time) as a plain run in a fresh cache, and the gather retrains nothing.
/// </summary>
public class SkFlowTrainShardTests
{
    [Theory]
    [InlineData("forward")]
    [InlineData("reverse")]
    public async Task UnitsRunOneByOneThenGatheredEqualAPlainRun(string objective)
    {
        var json = FlowWorkspace.Pipeline(
            $"\"objective\": \"{objective}\", \"temperatures\": [1.0, 2.0], \"steps\": 30, \"batch\": 50, \"learning_rate\": 0.002, " +
            "\"log_interval\": 5, \"eval_interval\": 10, \"checkpoint_interval\": 20, \"hidden_width\": 8", samples: 1000);
        using var reference = new FlowWorkspace();
        var plain = (await reference.RunAsync(reference.Load(json))).Stages.Single(s => s.Stage == "train");

        using var ws = new FlowWorkspace();
        var pipeline = ws.Load(json);
        var units = PipelinePlan.ShardKeys(pipeline, "train");
        Assert.Equal(["i0-T1", "i0-T2"], units.Select(u => u.Unit.Label));
        for (var k = units.Count - 1; k >= 0; k--) // out of order, as array tasks may finish
        {
            var shard = await ws.RunAsync(pipeline, new RunOptions(Stages: ["train"], Device: "cpu", Shard: k));
            Assert.Equal(StageStatus.Computed, shard.Stages.Last().Status);
        }
        var gathered = (await ws.RunAsync(pipeline)).Stages.Single(s => s.Stage == "train");
        Assert.All(gathered.Units!, u => Assert.Equal(StageStatus.Cached, u.Status));
        Assert.Equal(plain.Key, gathered.Key);

        Assert.Equal(Files(plain.Directory), Files(gathered.Directory));
        var a = TrainedFlowIndex.Read(new UpstreamArtifact(null!, plain.Directory, null!));
        var b = TrainedFlowIndex.Read(new UpstreamArtifact(null!, gathered.Directory, null!));
        Assert.Equal(a.Select(f => f with { WallSeconds = 0 }), b.Select(f => f with { WallSeconds = 0 }));
        foreach (var f in a)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(plain.Directory, f.Checkpoint)), File.ReadAllBytes(Path.Combine(gathered.Directory, f.Checkpoint)));
            SkFlowTrainResumeTests.AssertSameExceptWallTime(TableFile.Read(Path.Combine(plain.Directory, f.LossTable)),
                TableFile.Read(Path.Combine(gathered.Directory, f.LossTable)), f.LossTable);
        }
        // The manifests record the same files with the same row counts (and the per-flow throughput of every unit).
        var ma = JsonNode.Parse(File.ReadAllText(Path.Combine(plain.Directory, "manifest.json")))!;
        var mb = JsonNode.Parse(File.ReadAllText(Path.Combine(gathered.Directory, "manifest.json")))!;
        Assert.Equal(Rows(ma), Rows(mb));
        Assert.Equal(Extras(ma), Extras(mb));
    }

    private static List<string> Files(string dir) =>
        [.. Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal)];

    private static List<string> Rows(JsonNode manifest) =>
        [.. manifest["outputs"]!.AsArray().Select(o => $"{o!["path"]}: {o["rows"]?.ToJsonString() ?? "-"}")];

    private static List<string> Extras(JsonNode manifest) => [.. manifest["extra"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal)];
}
