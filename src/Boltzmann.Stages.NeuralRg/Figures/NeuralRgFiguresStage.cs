using System.Globalization;
using System.Text.Json;
using Boltzmann.Data.Figures;
using Boltzmann.Data.Tables;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.NeuralRg.Evaluation;
using Boltzmann.Stages.NeuralRg.Training;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.NeuralRg.Figures;

/// <summary>
/// <c>neuralrg-figures</c>: Li &amp; Wang 2018's figures from the training and evaluation stages.
/// <c>li-wang-fig3</c>: (a) relative error of the variational free energy vs epoch, MERA and TEBD per L, above the exact
/// bound (zero); (b) the structure factor vs HMC step, latent vs physical space, with the exact line.
/// <c>li-wang-lnz</c>: ln Z_x per L — variational bound, NIS and exact (as deviations from exact, with errors).
/// <c>li-wang-fig4</c>: (a) response maps of the four top-level latent variables, (b, c) mutual information between
/// latent and between physical variables, as heat maps (<see cref="PlotKind.Heatmap"/>, cells by <see cref="HeatmapCells"/>).
/// </summary>
public sealed class NeuralRgFiguresStage : StageKind<NeuralRgFiguresParameters>
{
    public const string KindName = "neuralrg-figures";

    public override string Kind => KindName;
    public override int Version => 3; // 3: twelve series, twelve colours (SeriesPalette after ten)
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "figures: li-wang-fig3 (free energy vs epoch; structure factor vs HMC step), li-wang-fig4 (response, MI), ln Z_x table";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("models", [NeuralRgTrainStage.KindName]),
        new("evaluation", [NeuralRgEvaluateStage.KindName]),
    ];

    protected override NeuralRgFiguresParameters Parse(ParameterReader r) => new(r.Int("max_curve_points", 400, min: 10, max: 1_000_000));

    protected override Task RunAsync(StageContext ctx, NeuralRgFiguresParameters p)
    {
        var train = ctx.Input("models");
        var eval = ctx.Input("evaluation");
        var models = JsonSerializer.Deserialize<List<TrainedModel>>(File.ReadAllText(train.PathOf(TrainedModel.IndexFile)), JsonDefaults.Indented)!;
        var meta = FigurePublisher.Metadata(ctx, eval);
        meta["beta"] = models[0].Beta.ToString("R", CultureInfo.InvariantCulture);
        Figure3(ctx, p, train, eval, models, meta);
        LnZFigure(ctx, eval, meta);
        Figure4(ctx, eval, models, meta);
        return Task.CompletedTask;
    }

    private static DataFrame Read(UpstreamArtifact a, string relative) => TableFile.Read(a.PathOf(relative + TableFile.ParquetExtension));

    private static double Get(DataFrame df, string column, long row) => Convert.ToDouble(df[column][row], CultureInfo.InvariantCulture);

    private static void Figure3(StageContext ctx, NeuralRgFiguresParameters p, UpstreamArtifact train, UpstreamArtifact eval,
                                List<TrainedModel> models, Dictionary<string, string> meta)
    {
        const string fig = "li-wang-fig3";
        var points = new List<FigurePoint>();
        foreach (var m in models)
        {
            var loss = TableFile.Read(train.PathOf(m.LossTable));
            long rows = loss.Rows.Count, stride = Math.Max(1, rows / p.MaxCurvePoints);
            string series = m.Label;
            for (long r = 0; r < rows; r += stride)
                points.Add(new FigurePoint(fig, "free-energy", series, Get(loss, "epoch", r) + 1, Get(loss, "relative_error", r), 0));
            string alongside = $"hmc-alongside/{m.Key}";
            if (m.Architecture != "mera" || m.Variant is not null || !File.Exists(eval.PathOf(alongside + TableFile.ParquetExtension))) continue;
            var h = Read(eval, alongside);
            for (long r = 0; r < h.Rows.Count; r++)
            {
                double step = Get(h, "hmc_step", r);
                points.Add(new FigurePoint(fig, "structure-factor", $"latent L = {m.L}", step, Get(h, "latent_m2", r), Get(h, "latent_m2_err", r)));
                points.Add(new FigurePoint(fig, "structure-factor", $"physical L = {m.L}", step, Get(h, "physical_m2", r), Get(h, "physical_m2_err", r)));
                double exact = Get(h, "exact_m2", r);
                if (double.IsFinite(exact)) points.Add(new FigurePoint(fig, "structure-factor", $"exact L = {m.L}", step, exact, 0));
            }
        }
        var exactSeries = models.Select(m => $"exact L = {m.L}").Distinct().ToArray();
        FigurePublisher.Publish(ctx, new FigureTable(fig, "NeuralRG on the dual 2D Ising field at beta_c (Li & Wang Fig. 3)", [
            new FigurePanel("free-energy", "(a) relative error of the variational free energy (exact = 0)", "epoch", "(F_q - F) / |F|", PlotKind.Line, LogX: true),
            new FigurePanel("structure-factor", "(b) <(sum s / N)^2> vs HMC steps alongside training", "HMC step", "structure factor", PlotKind.Scatter, LineSeries: exactSeries),
        ], points, meta));
    }

    private static void LnZFigure(StageContext ctx, UpstreamArtifact eval, Dictionary<string, string> meta)
    {
        const string fig = "li-wang-lnz";
        var t = Read(eval, NeuralRgEvaluateStage.LnZTable);
        var points = new List<FigurePoint>();
        for (long r = 0; r < t.Rows.Count; r++)
        {
            double l = Get(t, "l", r), exact = Get(t, "exact_lnz", r);
            string arch = Get(t, "architecture_tebd", r) > 0 ? "TEBD" : "MERA";
            if (t.Columns.IndexOf("z2_comparison") >= 0 && Get(t, "z2_comparison", r) > 0)
                arch += Get(t, "symmetrize", r) > 0 ? " with Z2" : " without Z2";
            // NIS error bars: the conservative error (max of delta method, batch spread and drift; NisReliability).
            string nisError = t.Columns.IndexOf("nis_lnz_err_conservative") >= 0 ? "nis_lnz_err_conservative" : "nis_lnz_err";
            points.Add(new FigurePoint(fig, "lnz", $"variational {arch}", l, Get(t, "variational_lnz", r) - exact, Get(t, "variational_lnz_err", r)));
            points.Add(new FigurePoint(fig, "lnz", $"NIS {arch}", l, Get(t, "nis_lnz", r) - exact, Get(t, nisError, r)));
        }
        FigurePublisher.Publish(ctx, new FigureTable(fig, "ln Z_x - exact per L: variational bound and NIS (table lnz of the evaluation)", [
            new FigurePanel("lnz", "ln Z_x estimate - exact ln Z_x", "L", "difference", PlotKind.Scatter),
        ], points, meta));
    }

    private static void Figure4(StageContext ctx, UpstreamArtifact eval, List<TrainedModel> models, Dictionary<string, string> meta)
    {
        const string fig = "li-wang-fig4";
        var l = models.Select(m => m.L).Where(size => File.Exists(eval.PathOf($"response/L{size}{TableFile.ParquetExtension}"))).DefaultIfEmpty(0).Max();
        if (l == 0) return;
        var points = new List<FigurePoint>();
        var panels = new List<FigurePanel>();
        var response = Read(eval, $"response/L{l}");
        for (int k = 0; k < 4; k++)
        {
            string panel = $"response-{k}";
            for (long r = 0; r < response.Rows.Count; r++)
                if ((int)Get(response, "latent", r) == k)
                    points.Add(HeatmapCells.Cell(fig, panel, Get(response, "col", r), Get(response, "row", r), Get(response, "response", r)));
            panels.Add(new FigurePanel(panel, $"(a) E[dz/dx], top-level latent {k}", "column", "row", PlotKind.Heatmap));
        }
        var mi = Read(eval, $"mi/L{l}");
        foreach (var (space, label) in new[] { (1, "(b) MI between latent variables"), (0, "(c) MI between physical variables") })
        {
            string panel = space == 1 ? "mi-latent" : "mi-physical";
            for (long r = 0; r < mi.Rows.Count; r++)
                if ((int)Get(mi, "latent", r) == space)
                    points.Add(HeatmapCells.Cell(fig, panel, Get(mi, "j", r), Get(mi, "i", r), Get(mi, "mi", r)));
            panels.Add(new FigurePanel(panel, label + " (nats, KSG)", "variable j", "variable i", PlotKind.Heatmap));
        }
        FigurePublisher.Publish(ctx, new FigureTable(fig, $"NeuralRG interpretation, MERA L = {l} (Li & Wang Fig. 4)", panels, points, meta));
    }
}
