using Boltzmann.Data.Figures;
using Boltzmann.Data.Tables;
using Boltzmann.Physics.Exact;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Arnn.Ising;
using Boltzmann.Stages.Arnn.Tests.Annealing;
using Boltzmann.Testing;
using Xunit.Abstractions;

namespace Boltzmann.Stages.Arnn.Tests.Ising;

/// <summary>
/// The 2D Ising NIS stages: invalid parameters name their JSON paths; the Ising stages of the repository pipeline phi4-nis,
/// smoke profile (L = 4, MADE and PixelCNN), trains, evaluates and publishes figure ising-nis, whose data carry Kaufman's exact curve
/// and estimates consistent with it (variational F above the exact F, MADE's NIS F and E within 4 sigma).
/// </summary>
public sealed class IsingNisStageTests(ITestOutputHelper output)
{
    [Fact]
    public void InvalidParametersAreReportedWithTheirJsonPaths()
    {
        using var ws = new ArnnWorkspace();
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load("""
        { "name": "bad", "seed": 1, "stages": [
            { "name": "train", "kind": "ising-van-train",
              "params": { "l": 1, "architectures": "CW_N, XYZ, MADE_21, MADE_21", "beta_start": 0, "beta_max": 0.5 } },
            { "name": "train2", "kind": "ising-van-train",
              "params": { "l": 8, "architectures": "MADE_21", "beta_start": 0.1, "beta_step": 0.1, "beta_max": 0.5, "evaluate_betas": [0.33] } },
            { "name": "nis", "kind": "ising-nis-evaluate", "upstream": { "train": "train2" }, "params": { "samples": 5 } } ] }
        """));
        var paths = ex.Errors.Select(e => e.Path).ToList();
        foreach (var e in ex.Errors) output.WriteLine($"{e.Path}: {e.Message}");
        Assert.Contains("$.stages[0].params.l", paths);
        Assert.Contains("$.stages[0].params.beta_start", paths);
        Assert.Contains(ex.Errors, e => e.Path == "$.stages[0].params.architectures" && e.Message.Contains("CW_N"));
        Assert.Contains(ex.Errors, e => e.Path == "$.stages[0].params.architectures" && e.Message.Contains("XYZ"));
        Assert.Contains(ex.Errors, e => e.Path == "$.stages[0].params.architectures" && e.Message.Contains("twice"));
        Assert.Contains(ex.Errors, e => e.Path == "$.stages[1].params.evaluate_betas[0]" && e.Message.Contains("not on the annealing schedule"));
        Assert.Contains("$.stages[2].params.samples", paths);
    }

    [Fact]
    public async Task SmokeProfilePublishesTheFigureWithExactAndConsistentValues()
    {
        using var ws = new ArnnWorkspace();
        var report = await ws.RunAsync(ws.Load(RepoPipelines.Stages("phi4-nis", "ising-train-made", "ising-train-pixelcnn", "ising-nis", "ising-figures"), "smoke"));
        var dir = PipelineWorkspace.StageDirectory(report, "ising-nis");
        var t = TableFile.Read(Path.Combine(dir, IsingNisEvaluateStage.Table + ".parquet"));
        Assert.Equal(2 * 3, t.Rows.Count); // two architectures x beta = 0.2, 0.4, 0.6
        for (long r = 0; r < t.Rows.Count; r++)
        {
            double beta = (double)t["beta"][r];
            var exact = IsingExact.Evaluate(4, 4, beta);
            Assert.Equal(-exact.LnZ / (16 * beta), (double)t["f_exact"][r], 12);
            Assert.InRange((double)t["ess"][r], 0.0, 1.0 + 1e-12);
            output.WriteLine($"arch {t["architecture"][r]} beta={beta}: z_f_nis {t["z_f_nis"][r]:F2} z_e_nis {t["z_e_nis"][r]:F2} z_c_nis {t["z_c_nis"][r]:F2} z_f_var {t["z_f_variational"][r]:F2} ESS {t["ess"][r]:F3}");
        }

        var publish = Path.Combine(PipelineWorkspace.StageDirectory(report, "ising-figures"), PipelineRunner.PublishFolder);
        Assert.True(File.Exists(Path.Combine(publish, IsingNisFiguresStage.Figure + ".png")));
        var fig = FigureDataReader.Read(Path.Combine(publish, IsingNisFiguresStage.Figure + ".parquet"));
        Assert.Equal(["f", "f-diff", "e", "c", "ess"], fig.Panels.Select(p => p.Panel));
        foreach (var pt in fig.Points.Where(p => p.Series == "exact" && p.Panel == "e"))
            Assert.Equal(IsingExact.Evaluate(4, 4, pt.X).EnergyPerSite, pt.Y, 12);
        foreach (var pt in fig.Points.Where(p => p.Panel == "f-diff" && p.Series.EndsWith(" variational")))
            Assert.True(pt.Y > -4 * pt.YErr, $"{pt.Series} beta={pt.X}: F_q - F = {pt.Y} ± {pt.YErr} is below the exact F");
        // NIS accuracy is asserted in the disordered phase (beta < beta_c = 0.4407) only: the smoke budget's MADE
        // (60 epochs per beta) has heavy-tailed weights in the ordered phase, where NIS F sits up to ~5 of its
        // delta-method errors above exact although ESS/N ~ 0.7 (configurations q almost never draws carry the
        // missing weight; docs/ising-nis.md). The ordered phase is tested with a trained model in
        // Autoregressive.Tests IsingNisTests.MadeNisAgreesWithKaufmanAtL4 (beta up to 0.7).
        foreach (var pt in fig.Points.Where(p => p.Panel == "f-diff" && p.Series == "MADE_21 NIS" && p.X < IsingExact.CriticalBeta))
            Assert.True(Math.Abs(pt.Y) < 4 * pt.YErr, $"MADE NIS beta={pt.X}: F - F_exact = {pt.Y} ± {pt.YErr}");
        foreach (var pt in fig.Points.Where(p => p.Panel == "e" && p.Series == "MADE_21 NIS" && p.X < IsingExact.CriticalBeta))
        {
            double e = IsingExact.Evaluate(4, 4, pt.X).EnergyPerSite;
            Assert.True(Math.Abs(pt.Y - e) < 4 * pt.YErr, $"MADE NIS beta={pt.X}: E = {pt.Y} ± {pt.YErr}, exact {e}");
        }
    }
}
