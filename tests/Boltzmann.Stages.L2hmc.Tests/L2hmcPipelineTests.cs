using Boltzmann.Data.Tables;
using Boltzmann.Stages.L2hmc.Evaluation;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.L2hmc.Tests;

public class L2hmcPipelineTests
{
    [Fact]
    public async Task TrainEvaluateFiguresRunEndToEnd()
    {
        using var ws = new L2hmcWorkspace();
        var r = await ws.RunAsync(ws.Load("""
        { "name": "l2hmc-test", "seed": 3, "stages": [
          { "name": "train", "kind": "l2hmc-train", "params": { "l": 4, "betas": [1.0, 2.0], "steps_per_era": 12, "retrain_steps": 3, "n_lf": 2, "eps": 0.2,
            "width": 4, "chains": 8, "warmup_steps": 3, "checkpoint_interval": 5, "log_interval": 2 } },
          { "name": "eval", "kind": "l2hmc-evaluate", "upstream": { "model": "train" },
            "params": { "chains": 4, "burn_in": 5, "trajectories": 40, "hmc_n_lf": [2], "hmc_eps": [0.2], "trace_chains": 4 } },
          { "name": "figures", "kind": "l2hmc-figures", "upstream": { "evaluation": "eval" }, "params": {} } ] }
        """));
        var t = TableFile.Read(Path.Combine(PipelineWorkspace.StageDirectory(r, "eval"), L2hmcEvaluateStage.ObservablesTable + ".parquet"));
        // beta 1: HMC + trained; beta 2: HMC + trained + transfer + transfer-retrained.
        Assert.Equal(6, t.Rows.Count);
        var layers = TableFile.Read(Path.Combine(PipelineWorkspace.StageDirectory(r, "eval"), L2hmcEvaluateStage.LayersTable + ".parquet"));
        Assert.Equal(2 * 3, layers.Rows.Count);
        for (long i = 0; i < t.Rows.Count; i++) Assert.InRange(D(t, "acceptance", i), 0.05, 1.0);
        foreach (var fig in new[] { "foreman-fig3", "foreman-fig4", "foreman-fig5" })
            Assert.True(File.Exists(Path.Combine(ws.Root, "artifacts", "l2hmc-test", "figures", fig + ".png")), fig);
    }

    private static double D(DataFrame df, string col, long row) => Convert.ToDouble(df[col][row], System.Globalization.CultureInfo.InvariantCulture);
}
