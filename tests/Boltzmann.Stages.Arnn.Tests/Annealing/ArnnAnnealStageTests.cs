using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;
using Boltzmann.Stages.Arnn.Annealing;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Arnn.Tests.Annealing;

public sealed class ArnnAnnealStageTests
{
    public ArnnAnnealStageTests() => TorchSharp.torch.set_num_threads(1);

    private const string Cw = """
    { "name": "cw-test", "seed": 3, "stages": [
        { "name": "anneal", "kind": "arnn-anneal",
          "params": { "model": "curie_weiss", "sizes": [8, 12], "architectures": "CW_N, CW_inf, 1P",
                      "beta_max": 1.3, "epochs": 8, "batch": 64, "samples": 600, "overlap_betas": [1.3] } },
        { "name": "figures", "kind": "arnn-figures", "upstream": { "anneal": "anneal" }, "params": {} } ] }
    """;

    private const string Sk = """
    { "name": "sk-test", "seed": 4, "stages": [
        { "name": "a", "kind": "sk-instances", "params": { "n": 6, "count": 2 } },
        { "name": "b", "kind": "sk-instances", "params": { "n": 8, "count": 1 } },
        { "name": "anneal", "kind": "arnn-anneal", "upstream": { "instances": "a", "instances_2": "b" },
          "params": { "model": "sk", "architectures": "1L, SK_RS, SK_2RSB",
                      "beta_max": 1.5, "epochs": 4, "batch": 32, "samples": 400, "overlap_betas": [1.5] } },
        { "name": "figures", "kind": "arnn-figures", "upstream": { "anneal": "anneal" }, "params": {} } ] }
    """;

    private static string Dir(RunReport r, string stage) => r.Stages.Single(s => s.Stage == stage).Directory;

    [Fact]
    public void InvalidParametersAreReportedWithTheirJsonPaths()
    {
        using var ws = new ArnnWorkspace();
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load("""
        { "name": "bad", "seed": 1, "stages": [
            { "name": "anneal", "kind": "arnn-anneal",
              "params": { "model": "curie_weiss", "sizes": [8, 12.5], "architectures": "1P, XYZ", "beta_max": 0.05,
                          "overlap_betas": [0.33], "dtype": "float16", "batch": 1 } },
            { "name": "inst", "kind": "sk-instances", "params": { "n": 8 } },
            { "name": "sk", "kind": "arnn-anneal", "upstream": { "instances": "inst" },
              "params": { "model": "sk", "architectures": "CW_inf, 1L", "sizes": [8] } } ] }
        """));
        var paths = ex.Errors.Select(e => e.Path).ToList();
        Assert.Contains("$.stages[0].params.sizes[1]", paths);
        Assert.Contains("$.stages[0].params.architectures", paths);
        Assert.Contains("$.stages[0].params.beta_max", paths);
        Assert.Contains("$.stages[0].params.dtype", paths);
        Assert.Contains("$.stages[0].params.batch", paths);
        Assert.Contains("$.stages[2].params.sizes", paths);
        Assert.Contains(ex.Errors, e => e.Path == "$.stages[2].params.architectures" && e.Message.Contains("CW_inf"));
        Assert.Contains(ex.Errors, e => e.Path == "$.stages[0].params.architectures" && e.Message.Contains("XYZ"));

        var off = Assert.Throws<PipelineConfigException>(() => ws.Load("""
        { "name": "bad", "seed": 1, "stages": [
            { "name": "anneal", "kind": "arnn-anneal",
              "params": { "model": "curie_weiss", "sizes": [8], "architectures": "1P", "beta_max": 1.0, "overlap_betas": [1.33] } } ] }
        """));
        Assert.Contains(off.Errors, e => e.Path == "$.stages[0].params.overlap_betas[0]" && e.Message.Contains("not on the annealing schedule"));
    }

    [Fact]
    public async Task CurieWeissRunWritesTablesCheckValuesAndFigure4()
    {
        using var ws = new ArnnWorkspace();
        var report = await ws.RunAsync(ws.Load(Cw));
        var dir = Dir(report, "anneal");
        var names = System.Text.Json.JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(dir, ArnnAnnealStage.ArchitecturesFile)))!;
        Assert.Equal(["CW_N", "CW_inf", "1P"], names);
        var fe = TableFile.Read(Path.Combine(dir, ArnnAnnealStage.FreeEnergy + ".parquet"));
        Assert.Equal(3 * 2 * 25, fe.Rows.Count);
        for (long r = 0; r < fe.Rows.Count; r++)
        {
            double rel = (double)fe["rel_error"][r], err = (double)fe["rel_error_err"][r];
            if ((int)fe["architecture"][r] == 0) Assert.True(Math.Abs(rel) < 1e-12, $"CW_N relative error {rel}");
            else Assert.True(rel > -4 * err - 1e-12, $"variational F below exact: rel {rel} ± {err}");
            Assert.InRange((double)fe["ess"][r], 0.0, 1.0 + 1e-12);
            // h = 0: the Z2-symmetrised NIS columns are filled; q_sym of the exact CW_N is the Boltzmann distribution.
            Assert.InRange((double)fe["ess_sym"][r], 0.0, 1.0 + 1e-12);
            Assert.True(double.IsFinite((double)fe["f_nis_sym"][r]) && double.IsFinite((double)fe["f_nis_sym_err"][r]));
            if ((int)fe["architecture"][r] == 0) Assert.True(Math.Abs((double)fe["rel_error_nis_sym_exact"][r]) < 1e-12);
        }
        var checks = TableFile.Read(Path.Combine(dir, ArnnAnnealStage.CheckValues + ".parquet"));
        Assert.Equal(3 * 2, checks.Rows.Count);
        var overlap = TableFile.Read(Path.Combine(dir, ArnnAnnealStage.Overlap + ".parquet"));
        Assert.Equal(3 * (9 + 13), overlap.Rows.Count);
        // The exact P(q) column sums to 1 per (architecture, N).
        double sum = 0;
        for (long r = 0; r < overlap.Rows.Count; r++) if ((int)overlap["architecture"][r] == 0 && (int)overlap["n"][r] == 12) sum += (double)overlap["p_exact"][r];
        Assert.Equal(1.0, sum, 1e-12);
        var publish = Path.Combine(Dir(report, "figures"), PipelineRunner.PublishFolder);
        Assert.True(File.Exists(Path.Combine(publish, ArnnFiguresStage.Figure4 + ".png")));
        var fig = Boltzmann.Data.Figures.FigureDataReader.Read(Path.Combine(publish, ArnnFiguresStage.Figure4 + ".parquet"));
        Assert.Equal(["A1", "A2", "B", "C"], fig.Panels.Select(p => p.Panel));
        Assert.Contains(fig.Points, p => p.Panel == "C" && p.Series == "exact");
    }

    [Fact]
    public async Task SkRunComparesWithSk2RsbAndEnumerationAndDrawsFigure5()
    {
        using var ws = new ArnnWorkspace();
        var report = await ws.RunAsync(ws.Load(Sk));
        var dir = Dir(report, "anneal");
        var fe = TableFile.Read(Path.Combine(dir, ArnnAnnealStage.FreeEnergy + ".parquet"));
        Assert.Equal(3 * 3 * 29, fe.Rows.Count); // 3 architectures x 3 instances x 29 temperatures
        for (long r = 0; r < fe.Rows.Count; r++)
        {
            Assert.True(double.IsFinite((double)fe["f_exact"][r]));
            if ((int)fe["architecture"][r] == 2) Assert.Equal(0.0, (double)fe["rel_error"][r]);
            // The variational free energy is an upper bound of the exact one.
            Assert.True((double)fe["rel_error_exact"][r] > -4 * (double)fe["rel_error_exact_err"][r] - 1e-12);
            Assert.True(double.IsFinite((double)fe["f_nis_sym"][r]));
            if ((int)fe["architecture"][r] == 2) Assert.Equal(0.0, (double)fe["rel_error_nis_sym"][r]);
        }
        Assert.False(File.Exists(Path.Combine(dir, ArnnAnnealStage.CheckValues + ".parquet")));
        var publish = Path.Combine(Dir(report, "figures"), PipelineRunner.PublishFolder);
        var fig = Boltzmann.Data.Figures.FigureDataReader.Read(Path.Combine(publish, ArnnFiguresStage.Figure5 + ".parquet"));
        Assert.Equal(["A1", "A2", "B", "C", "D"], fig.Panels.Select(p => p.Panel));
        Assert.True(File.Exists(Path.Combine(publish, ArnnFiguresStage.Figure5 + ".png")));
        Assert.Contains(fig.Points, p => p.Panel == "B" && p.Series == "SK_2RSB" && p.X == 200);
        Assert.Contains(fig.Points, p => p.Panel == "D" && p.Series == "exact");
        Assert.Contains("variational f_q", fig.Panels.Single(p => p.Panel == "A1").Title); // the paper's view: f_q vs SK_2RSB's f_q
    }

    /// <summary>With a non-zero field there is no Z2 symmetry: the symmetrised columns are NaN.</summary>
    [Fact]
    public async Task NonZeroFieldLeavesTheSymmetrisedColumnsEmpty()
    {
        using var ws = new ArnnWorkspace();
        var report = await ws.RunAsync(ws.Load("""
        { "name": "cw-field", "seed": 5, "stages": [
            { "name": "anneal", "kind": "arnn-anneal",
              "params": { "model": "curie_weiss", "sizes": [6], "h": 0.2, "architectures": "CW_N, 1P",
                          "beta_max": 0.3, "epochs": 2, "batch": 16, "samples": 100 } } ] }
        """));
        var fe = TableFile.Read(Path.Combine(Dir(report, "anneal"), ArnnAnnealStage.FreeEnergy + ".parquet"));
        Assert.True(fe.Rows.Count > 0);
        for (long r = 0; r < fe.Rows.Count; r++)
        {
            Assert.True(double.IsNaN((double)fe["f_nis_sym"][r]) && double.IsNaN((double)fe["ess_sym"][r]));
            Assert.True(double.IsFinite((double)fe["f_nis"][r]));
        }
    }

    /// <summary>
    /// Sharded: a unit per SK instance (N = 6: two, N = 8: one), each annealing every architecture; the units run on
    /// their own and then gathered give the same bytes as a plain run, though the tables compare architectures (against
    /// SK_2RSB) and instances across units.
    /// </summary>
    [Fact]
    public async Task UnitsRunAsShardsThenGatheredGiveThePlainRunsBytes()
    {
        using var ws = new ArnnWorkspace();
        var p = ws.Load(Sk);
        Assert.Equal(["n6-i0", "n6-i1", "n8-i0"], PipelinePlan.ShardKeys(p, "anneal").Select(u => u.Unit.Label));
        var run = await ShardedRuns.RunBothWaysAsync(ws, p, "anneal", new RunOptions(Device: "cpu"));
        Assert.All(run.Gathered.Units!, u => Assert.Equal(StageStatus.Cached, u.Status));
        var plain = ShardedRuns.FileHashes(run.Plain.Directory);
        Assert.Contains(ArnnAnnealStage.FreeEnergy + ".parquet", plain.Keys);
        Assert.Equal(plain, ShardedRuns.FileHashes(run.Gathered.Directory));
    }

    [Fact]
    public async Task KilledAnnealStageResumesBitForBit()
    {
        using var ws = new ArnnWorkspace();
        var p = ws.Load(Cw);
        var options = new RunOptions(Stages: ["anneal"], Device: "cpu");
        var reference = await ws.RunAsync(p, options, cacheRoot: Path.Combine(ws.Root, "reference"));
        var refDir = Dir(reference, "anneal");

        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ws.RunAsync(p, options, cts.Token, CancelAfterProgress.OfDescription(cts, "1P N=8", 93)));
        var resumed = await ws.RunAsync(p, options);
        Assert.Contains(ws.Log.Lines, l => l.Contains("resumed at step 93"));
        var dir = Dir(resumed, "anneal");
        foreach (var f in new[] { ArnnAnnealStage.FreeEnergy, ArnnAnnealStage.Overlap, ArnnAnnealStage.CheckValues })
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(refDir, f + ".csv")), await File.ReadAllBytesAsync(Path.Combine(dir, f + ".csv")));
    }
}
