using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boltzmann.Faults.Tests;

/// <summary>
/// SIGKILL during a training stage (sk-flow's small-forward, smoke profile, checkpointing every 20 steps so a kill
/// lands between checkpoints), then damage to the newest checkpoint: the rerun must fall back to the last good
/// checkpoint with a warning naming the damaged one, and end byte-identical to an uninterrupted run. About a minute
/// of training runs (about 20 s here).
/// </summary>
[Trait("Category", "Faults")]
public sealed class TrainingKillTests
{
    private const string Pipeline = "sk-flow";
    private const string Stage = "small-forward";

    private static FaultRepo Repo()
    {
        var repo = new FaultRepo();
        var root = JsonNode.Parse(File.ReadAllText(RepoPipelines.File(Pipeline)),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        var stage = root["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == Stage)!;
        stage["params"]!["checkpoint_interval"] = 20;
        // Long enough per unit that the kill lands between checkpoints of a running unit, not after it committed.
        stage["profiles"]!["smoke"]!["steps"] = 400;
        File.WriteAllText(repo.PipelineFile(Pipeline), root.ToJsonString());
        return repo;
    }

    private static string[] Args => ["run", Pipeline, "--profile", "smoke", "--stage", Stage];

    [Fact]
    public void A_kill_during_training_and_a_damaged_checkpoint_resume_byte_identical()
    {
        using var reference = Repo();
        var full = reference.Run(Args);
        Assert.True(full.Code == 0, full.Err);

        using var repo = Repo();
        // sk-flow-train is sharded: each (instance, temperature) unit trains in its own work directory of the
        // unit kind, so the checkpoints are looked for in every work directory of the cache.
        IEnumerable<string> Checkpoints() => Directory.Exists(repo.Cache)
            ? Directory.EnumerateDirectories(repo.Cache, "step-*", SearchOption.AllDirectories)
                .Where(d => d.Contains($"{Path.DirectorySeparatorChar}.work{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : [];
        using (var run = repo.Start(Args))
        {
            run.WaitUntil(() => Checkpoints().Count() >= 2, "two training checkpoints on disk");
            run.Kill();
        }
        var newest = Assert.IsType<string>(Checkpoints().LastOrDefault(), exactMatch: false);
        var damaged = Directory.EnumerateFiles(newest).Order(StringComparer.Ordinal).Last();
        var bytes = File.ReadAllBytes(damaged);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(damaged, bytes);

        var rerun = repo.Run(Args);
        Assert.True(rerun.Code == 0, rerun.Err);
        Assert.Contains(newest, rerun.Err);
        Assert.Contains("corrupt", rerun.Err);
        var expected = FaultRepo.Outputs(reference.Cache);
        var actual = FaultRepo.Outputs(repo.Cache);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (path, hash) in expected)
        {
            if (path.EndsWith("/flows.json", StringComparison.Ordinal) || path.EndsWith("/unit-flow.json", StringComparison.Ordinal)
                || path.EndsWith(".csv", StringComparison.Ordinal))
                Assert.Equal(WithoutWallTime(Path.Combine(reference.Cache, path)), WithoutWallTime(Path.Combine(repo.Cache, path)));
            else if (!path.Contains("/loss/", StringComparison.Ordinal)) // the loss Parquet holds the same columns as its CSV
                Assert.True(hash == actual[path], $"{path} differs from the uninterrupted run");
        }
    }

    /// <summary>The file's text without wall-clock times (the only thing two equal trainings may differ in).</summary>
    private static string WithoutWallTime(string path)
    {
        if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            // flows.json is the array of every flow, a unit's unit-flow.json one flow.
            var node = JsonNode.Parse(File.ReadAllText(path))!;
            foreach (var flow in node is JsonArray array ? array : (IEnumerable<JsonNode?>)[node]) flow!.AsObject().Remove("wall_seconds");
            return node.ToJsonString();
        }
        var lines = File.ReadAllLines(path);
        int wall = Array.IndexOf(lines[0].Split(','), "wall_seconds");
        return string.Join('\n', lines.Select(l => wall < 0 ? l : string.Join(',', l.Split(',').Where((_, i) => i != wall))));
    }
}
