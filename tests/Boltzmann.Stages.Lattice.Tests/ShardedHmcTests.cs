using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Lattice.Tests;

/// <summary>
/// phi4-hmc (a unit per kappa) and u1-hmc (a unit per beta) as sharded stages: every unit run on its own, then gathered,
/// gives byte-identical files (configuration parts, summaries, observable tables) to a plain run in a fresh cache, and
/// the gather recomputes no unit.
/// </summary>
public class ShardedHmcTests
{
    private static async Task AssertShardedEqualsPlain(string json, string stage, string[] labels)
    {
        using var ws = new LatticeWorkspace();
        var p = ws.Load(json);
        Assert.Equal(labels, PipelinePlan.ShardKeys(p, stage).Select(u => u.Unit.Label));
        var run = await ShardedRuns.RunBothWaysAsync(ws, p, stage);
        Assert.All(run.Shards, s => Assert.Equal(StageStatus.Computed, s.Status));
        Assert.All(run.Gathered.Units!, u => Assert.Equal(StageStatus.Cached, u.Status));
        Assert.Equal(run.Plain.Key, run.Gathered.Key);
        var plain = ShardedRuns.FileHashes(run.Plain.Directory);
        Assert.Contains(plain.Keys, f => f.StartsWith("configurations/part-", StringComparison.Ordinal));
        Assert.Equal(plain, ShardedRuns.FileHashes(run.Gathered.Directory));
    }

    [Fact]
    public Task Phi4UnitsGatherToThePlainRunsBytes() => AssertShardedEqualsPlain("""
        { "name": "phi4-shards", "seed": 3, "stages": [
          { "name": "hmc", "kind": "phi4-hmc",
            "params": { "l": 4, "t": 4, "lambda": 0.022, "kappas": [0.0, 0.2, 0.27], "n_lf": 4, "eps": 0.25, "chains": 2,
                        "burn_in": 20, "trajectories": 60, "trajectories_per_part": 40 } } ] }
        """, "hmc", ["kappa-000", "kappa-001", "kappa-002"]);

    [Fact]
    public Task U1UnitsGatherToThePlainRunsBytes() => AssertShardedEqualsPlain("""
        { "name": "u1-shards", "seed": 5, "stages": [
          { "name": "hmc", "kind": "u1-hmc",
            "params": { "l": 4, "betas": [1.0, 3.0], "n_lf": [5, 10], "eps": [0.2, 0.1], "adapt": false,
                        "chains": 2, "burn_in": 20, "trajectories": 60, "trajectories_per_part": 40 } } ] }
        """, "hmc", ["beta-00", "beta-01"]);
}
