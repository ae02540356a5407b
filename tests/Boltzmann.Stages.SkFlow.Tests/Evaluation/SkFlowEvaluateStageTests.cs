using Boltzmann.Pipelines.Config;
using Boltzmann.Stages.SkFlow.Evaluation;
using Boltzmann.Stages.SkFlow.Figures;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.SkFlow.Tests.Evaluation;

public class SkFlowEvaluateStageTests(EvaluatedPipeline run, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<EvaluatedPipeline>
{
    /// <summary>Writes the measured numbers (accuracies vs exact, timings) to the test output.</summary>
    private void Report()
    {
        var f = run.Table("evaluate", SkFlowEvaluateStage.FlowsTable);
        output.WriteLine($"pipeline wall time {run.Elapsed.TotalSeconds:F1} s");
        foreach (var stage in run.Report.Stages) output.WriteLine($"  {stage.Stage}: {stage.Elapsed.TotalSeconds:F2} s");
        for (long r = 0; r < f.Rows.Count; r++)
            output.WriteLine($"{Row(f, r)}: ln Z_s NIS {D(f, "ln_zs", r):F5} ± {D(f, "ln_zs_err", r):G3} exact {D(f, "ln_zs_exact", r):F5} (z {D(f, "z_nis_exact", r):F2}); " +
                             $"KL_rev {D(f, "kl_reverse", r):G4} ± {D(f, "kl_reverse_err", r):G2}; KL_fwd {D(f, "kl_forward", r):G4} ± {D(f, "kl_forward_err", r):G2}; " +
                             $"ESS rev {D(f, "ess_reverse", r):G3} fwd {D(f, "ess_forward", r):G3}; NMCMC acc {D(f, "nmcmc_acceptance", r):G3}, E {D(f, "nmcmc_energy", r):F4} ± {D(f, "nmcmc_energy_err", r):G2} (exact {D(f, "exact_energy", r):F4}); TV {D(f, "tv_pt", r):G3} (noise {D(f, "tv_noise", r):G3})");
        var refs = run.Table("evaluate", SkFlowEvaluateStage.ReferencesTable);
        for (long r = 0; r < refs.Rows.Count; r++)
            output.WriteLine($"T = {D(refs, "temperature", r):G4}: TI {D(refs, "ln_zs_ti", r):F5} ± {D(refs, "ln_zs_ti_err", r):G3} (quad {D(refs, "ln_zs_ti_quadrature_err", r):G2}) exact {D(refs, "ln_zs_exact", r):F5} z {D(refs, "z_ti_exact", r):F2}; RS {D(refs, "ln_zs_rs", r):F4} ± {D(refs, "ln_zs_rs_err", r):G2}");
    }

    private static double D(DataFrame df, string col, long r) => Convert.ToDouble(df[col][r]);

    private static string Row(DataFrame df, long r) =>
        $"instance {df["instance"][r]}, T = {df["temperature"][r]}, objective {df["objective"][r]}";

    [Fact]
    public void NisLnZOfUntrainedFlowsIsUnbiasedAgainstExactEnumeration()
    {
        Report();
        var f = run.Table("evaluate", SkFlowEvaluateStage.FlowsTable);
        Assert.Equal(5, f.Rows.Count); // forward x2, reverse x2, online x1
        for (long r = 0; r < f.Rows.Count; r++)
        {
            double z = D(f, "z_nis_exact", r);
            Assert.True(double.IsFinite(z) && Math.Abs(z) < 4,
                $"{Row(f, r)}: NIS ln Z_s = {D(f, "ln_zs", r):F5} ± {D(f, "ln_zs_err", r):G3} vs exact {D(f, "ln_zs_exact", r):F5} ({z:F2} sigma)");
            Assert.Equal(EvaluationSource.ReferenceExact, (int)f["ref_method"][r]);
            Assert.Equal(D(f, "ln_zs_exact", r), D(f, "ln_zs_ref", r));
        }
    }

    [Fact]
    public void DivergencesAreNonNegativeWithinNoiseAndTheBoundHolds()
    {
        var f = run.Table("evaluate", SkFlowEvaluateStage.FlowsTable);
        for (long r = 0; r < f.Rows.Count; r++)
        {
            foreach (var col in new[] { "kl_reverse", "kl_reverse_nis", "kl_forward" })
            {
                double v = D(f, col, r), e = D(f, col + "_err", r);
                Assert.True(v > -4 * e, $"{Row(f, r)}: {col} = {v:G4} ± {e:G3} is significantly negative");
            }
            Assert.True(D(f, "bound_sigma", r) > -4, $"{Row(f, r)}: bound violated at {D(f, "bound_sigma", r):F2} sigma");
            // Gibbs >= Helmholtz (eq. 18) and forward loss >= entropy (eq. 21), within errors.
            Assert.True(D(f, "gibbs_x", r) - D(f, "helmholtz_x_ref", r) > -4 * D(f, "gibbs_x_err", r));
            Assert.True(D(f, "forward_loss", r) - D(f, "entropy_x", r) > -4 * Math.Sqrt(Math.Pow(D(f, "forward_loss_err", r), 2) + Math.Pow(D(f, "entropy_x_err", r), 2)));
            foreach (var col in new[] { "ess_reverse", "ess_forward" })
                Assert.True(D(f, col, r) > 0 && D(f, col, r) <= 1, $"{Row(f, r)}: {col} = {D(f, col, r)} ± {D(f, col + "_err", r)}");
        }
    }

    [Fact]
    public void NeuralMcmcSamplesTheExactEnergy()
    {
        // The independence Metropolis chain samples p exactly however poor q is; carried spins drawn from p(s|x)
        // make <H(s)>/N of the chain the exact mean energy.
        var f = run.Table("evaluate", SkFlowEvaluateStage.FlowsTable);
        for (long r = 0; r < f.Rows.Count; r++)
        {
            double v = D(f, "nmcmc_energy", r), e = D(f, "nmcmc_energy_err", r), exact = D(f, "exact_energy", r);
            Assert.True(Math.Abs(v - exact) < 4 * e + 1e-12, $"{Row(f, r)}: NMCMC E/N = {v:F5} ± {e:G3} vs exact {exact:F5}");
            Assert.InRange(D(f, "nmcmc_acceptance", r), 0.0, 1.0);
            double pt = D(f, "pt_energy", r), ptErr = D(f, "pt_energy_err", r);
            Assert.True(Math.Abs(pt - exact) < 4 * ptErr, $"{Row(f, r)}: PT E/N = {pt:F5} ± {ptErr:G3} vs exact {exact:F5}");
        }
    }

    [Fact]
    public void ThermodynamicIntegrationOfPtEnergiesMatchesExactLnZ()
    {
        var refs = run.Table("evaluate", SkFlowEvaluateStage.ReferencesTable);
        int compared = 0;
        for (long r = 0; r < refs.Rows.Count; r++)
        {
            double z = D(refs, "z_ti_exact", r);
            if (double.IsNaN(D(refs, "ln_zs_exact", r))) continue;
            compared++;
            Assert.True(Math.Abs(z) < 4, $"T = {refs["temperature"][r]}: TI ln Z_s = {D(refs, "ln_zs_ti", r):F5} ± {D(refs, "ln_zs_ti_err", r):G3} vs exact {D(refs, "ln_zs_exact", r):F5} ({z:F2} sigma)");
        }
        Assert.Equal(9, compared); // every ladder temperature (the instance is enumerated)
    }

    [Fact]
    public void PtOverlapDistributionMatchesExact()
    {
        var o = run.Table("evaluate", SkFlowEvaluateStage.OverlapTable);
        foreach (double t in new[] { 0.5, 2.0 })
        {
            var pt = Rows(o, t, EvaluationSource.ParallelTempering);
            var ex = Rows(o, t, EvaluationSource.Exact);
            Assert.Equal(9, pt.Count);
            Assert.Equal(9, ex.Count);
            double chi2 = 0;
            int dof = 0;
            for (int k = 0; k < 9; k++)
            {
                if (ex[k].P < 1e-3 || !(pt[k].Err > 0)) continue;
                chi2 += Math.Pow((pt[k].P - ex[k].P) / pt[k].Err, 2);
                dof++;
            }
            Assert.True(dof >= 3);
            Assert.True(chi2 < dof + 4 * Math.Sqrt(2 * dof), $"T = {t}: chi2 = {chi2:F1} for {dof} bins");
            Assert.Equal(1.0, pt.Sum(x => x.P), 9);
        }
    }

    private static List<(double P, double Err)> Rows(DataFrame o, double t, int source)
    {
        var list = new List<(double, double)>();
        for (long r = 0; r < o.Rows.Count; r++)
            if ((int)o["source"][r] == source && (int)o["layerwise"][r] == 0 && Math.Abs(D(o, "temperature", r) - t) < 1e-9)
                list.Add((D(o, "p", r), D(o, "p_err", r)));
        return list;
    }

    [Fact]
    public void LayerwiseAnalysisCoversEveryLayerAndTrianglesAreWritten()
    {
        var sg = run.Table("evaluate", SkFlowEvaluateStage.SpinGlassTable);
        var layers = new HashSet<int>();
        int triangleRows = 0;
        for (long r = 0; r < sg.Rows.Count; r++)
        {
            if ((int)sg["layerwise"][r] == 1) layers.Add((int)sg["layer"][r]);
            if ((int)sg["triangles"][r] > 0)
            {
                triangleRows++;
                double sum = D(sg, "equilateral", r) + D(sg, "acute_isosceles", r) + D(sg, "other", r);
                Assert.Equal(1.0, sum, 9);
            }
        }
        Assert.Equal(new HashSet<int> { 0, 1, 2, 3, 4 }, layers);
        Assert.True(triangleRows >= 1 + 2 + 2 * 5, $"{triangleRows} rows with triangles"); // PT, full flows at T = 0.5, their layers
        Assert.True(File.Exists(Path.Combine(run.Dir("evaluate"), SkFlowEvaluateStage.SitesTable + ".csv")));
    }

    [Fact]
    public void FigureStageProducesEveryFigure()
    {
        var dir = Path.Combine(run.Dir("figures"), "publish");
        foreach (var name in SkFlowFiguresStage.FigureNames)
        {
            Assert.True(File.Exists(Path.Combine(dir, name + ".png")), $"{name}.png missing; log: {string.Join(" | ", run.Workspace.Log.Lines)}");
            Assert.True(File.Exists(Path.Combine(dir, name + ".parquet")), $"{name}.parquet missing");
        }
    }

    [Fact]
    public void ValidationErrorsNameTheJsonPath()
    {
        using var ws = new FlowWorkspace();
        var noFlows = FlowWorkspace.Small.Replace("\"forward\": \"forward\", \"reverse\": \"reverse\", \"online\": \"online\", ", "");
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load(noFlows));
        Assert.Contains(ex.Errors, e => e.Path.EndsWith(".params.upstream") && e.Message.Contains("at least one of"));

        var bad = FlowWorkspace.Small.Replace("\"batch\": 1000", "\"batch\": 999, \"triangle_overlap\": \"sideways\"");
        ex = Assert.Throws<PipelineConfigException>(() => ws.Load(bad));
        Assert.Contains(ex.Errors, e => e.Path.EndsWith("params.triangle_overlap") && e.Message.Contains("\"absolute\""));
        Assert.Contains(ex.Errors, e => e.Path.EndsWith("params.batch") && e.Message.Contains("even"));
        Assert.All(ex.Errors, e => Assert.StartsWith("$.stages[", e.Path));
    }
}
