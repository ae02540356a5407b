using System.Globalization;
using Boltzmann.Data.Figures;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;
using Boltzmann.Stages.SkFlow.Evaluation;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.SkFlow.Figures;

/// <summary>
/// Figure data (tidy Parquet + CSV + JSON) and PNGs of Hartnett &amp; Mohseni (2020) from an sk-flow-evaluate output,
/// published like the other figure stages (folder <c>publish/</c>):
/// <c>hartnett-fig2</c> (reverse loss vs step averaged over instances, reverse KL vs T, Gibbs vs Helmholtz),
/// <c>hartnett-fig3</c> (forward loss vs step, forward KL vs T, forward loss vs H[p(x)]/N),
/// <c>hartnett-fig4</c> (P(q): PT vs flows vs exact at several T, one instance),
/// <c>hartnett-fig5</c> (2-D histogram heat maps of the triangle plane x = d_mid - d_min, y = d_max - d_mid at the lowest T, per sampler; <see cref="TriangleHistogram"/>),
/// <c>hartnett-fig6</c> (layer-wise P(q) of the partial flows at low/mid/high T),
/// <c>hartnett-fig7</c> (layer-wise triangle histograms and PT, heat maps), <c>sk-flow-online-vs-fixed</c> (held-out NLL vs wall seconds)
/// and <c>sk-flow-mode-collapse</c> (TV distance of P(q) to PT and the site-magnetisation indicator vs T).
/// Curves averaged over instances carry the per-instance statistical errors combined in quadrature / count.
/// </summary>
public sealed class SkFlowFiguresStage : StageKind<SkFlowFiguresParameters>
{
    public const string KindName = "sk-flow-figures";
    public static readonly string[] FigureNames =
        ["hartnett-fig2", "hartnett-fig3", "hartnett-fig4", "hartnett-fig5", "hartnett-fig6", "hartnett-fig7", "sk-flow-online-vs-fixed", "sk-flow-mode-collapse"];

    public override string Kind => KindName;
    public override int Version => 2;
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "figures of Hartnett & Mohseni: losses, KL both ways, P(q), triangles, layer-wise, online vs fixed, mode collapse";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("evaluation", [SkFlowEvaluateStage.KindName])];

    protected override SkFlowFiguresParameters Parse(ParameterReader r) => SkFlowFiguresParameters.Read(r);

    protected override Task RunAsync(StageContext ctx, SkFlowFiguresParameters p)
    {
        var ev = ctx.Input("evaluation");
        var flows = Rows(ev, SkFlowEvaluateStage.FlowsTable);
        var overlap = Rows(ev, SkFlowEvaluateStage.OverlapTable);
        var spinGlass = Rows(ev, SkFlowEvaluateStage.SpinGlassTable);
        var triangles = Rows(ev, SkFlowEvaluateStage.TrianglesTable);
        var losses = Rows(ev, SkFlowEvaluateStage.LossesTable);
        if (!flows.Any(r => (int)r["instance"] == p.Instance))
            throw new StageInputException($"{ctx.Name}: instance {p.Instance} has no evaluated flow (instances: {string.Join(", ", flows.Select(r => (int)r["instance"]).Distinct())})");
        var meta = FigurePublisher.Metadata(ctx, ev);
        meta["instance"] = p.Instance.ToString(CultureInfo.InvariantCulture);
        meta["paper"] = "Hartnett & Mohseni 2020, Self-supervised learning of generative spin-glasses with normalizing flows";
        var flowTemps = flows.Where(r => (int)r["instance"] == p.Instance).Select(r => r["temperature"]).Distinct().Order().ToList();
        var chosen = (p.OverlapTemperatures is { Length: > 0 } w
            ? w.Select(x => flowTemps.MinBy(t => Math.Abs(t - x)))
            : new[] { flowTemps[0], flowTemps[flowTemps.Count / 2], flowTemps[^1] }).Distinct().ToList();
        double lowT = spinGlass.Where(r => (int)r["instance"] == p.Instance && (int)r["triangles"] > 0).Select(r => r["temperature"]).DefaultIfEmpty(flowTemps[0]).Min();

        var figures = new List<FigureTable>
        {
            Fig2(flows, losses, p, meta),
            Fig3(flows, losses, p, meta),
            Fig4(overlap, p, chosen, meta),
            Fig5(triangles, p, lowT, meta),
            Fig6(overlap, p, chosen, meta),
            Fig7(triangles, p, lowT, meta),
            OnlineVsFixed(losses, p, meta),
            ModeCollapse(flows, spinGlass, meta),
        };
        foreach (var raw in figures)
        {
            // Missing errors are drawn as none; panels of samplers that were not evaluated are dropped.
            var f = raw with { Points = raw.Points.Where(pt => double.IsFinite(pt.X) && double.IsFinite(pt.Y)).Select(pt => double.IsFinite(pt.YErr) ? pt : pt with { YErr = 0 }).ToList() };
            var used = f.Points.Select(pt => pt.Panel).ToHashSet(StringComparer.Ordinal);
            FigurePublisher.Publish(ctx, f with { Panels = f.Panels.Where(pp => used.Contains(pp.Panel)).ToList() });
        }
        return Task.CompletedTask;
    }

    private static string TLabel(double t) => "T=" + t.ToString("G3", CultureInfo.InvariantCulture);

    private static FigureTable Fig2(List<Dictionary<string, double>> flows, List<Dictionary<string, double>> losses, SkFlowFiguresParameters p, Dictionary<string, string> meta)
    {
        const string fig = "hartnett-fig2";
        var pts = new List<FigurePoint>();
        pts.AddRange(LossCurves(fig, "loss", losses, (int)FlowObjective.Reverse, p.LossPoints));
        var rev = flows.Where(r => (int)r["objective"] == (int)FlowObjective.Reverse).ToList();
        pts.AddRange(Averaged(fig, "kl", "reverse KL", rev, "kl_reverse"));
        pts.AddRange(Averaged(fig, "kl", "reverse KL (NIS F_x)", rev, "kl_reverse_nis"));
        pts.AddRange(Averaged(fig, "free-energy", "Gibbs G_x/N", rev, "gibbs_x", perSpin: true));
        pts.AddRange(Averaged(fig, "free-energy", "Helmholtz F_x/N (reference)", rev, "helmholtz_x_ref", perSpin: true));
        var panels = new List<FigurePanel>
        {
            new("loss", "(a) Reverse loss during training (mean over instances)", "step", "L_reverse", PlotKind.Line),
            new("kl", "(b) KL(p_G || p) = beta (G_x - F_x)", "T/J", "KL", PlotKind.Scatter),
            new("free-energy", "(b, inset) Gibbs vs Helmholtz free energy", "T/J", "free energy per spin", PlotKind.Scatter),
        };
        return new FigureTable(fig, "Reverse-KL flows: loss, KL divergence, Gibbs vs Helmholtz (Hartnett & Mohseni Fig. 2)", panels, pts, meta);
    }

    private static FigureTable Fig3(List<Dictionary<string, double>> flows, List<Dictionary<string, double>> losses, SkFlowFiguresParameters p, Dictionary<string, string> meta)
    {
        const string fig = "hartnett-fig3";
        var pts = new List<FigurePoint>();
        pts.AddRange(LossCurves(fig, "loss", losses, (int)FlowObjective.Forward, p.LossPoints));
        foreach (var obj in new[] { FlowObjective.Forward, FlowObjective.Online })
        {
            var rows = flows.Where(r => (int)r["objective"] == (int)obj).ToList();
            string name = obj == FlowObjective.Forward ? "forward" : "online";
            pts.AddRange(Averaged(fig, "kl", $"KL(p || p_G)/N, {name}", rows, "kl_forward", perSpin: true));
            pts.AddRange(Averaged(fig, "entropy", $"L_forward/N, {name}", rows, "forward_loss", perSpin: true));
            if (obj == FlowObjective.Forward) pts.AddRange(Averaged(fig, "entropy", "H[p(x)]/N", rows, "entropy_x", perSpin: true));
        }
        var panels = new List<FigurePanel>
        {
            new("loss", "(a) Forward loss during training (mean over instances)", "step", "L_forward", PlotKind.Line),
            new("kl", "(b) Forward KL divergence per spin", "T/J", "KL/N", PlotKind.Scatter),
            new("entropy", "(b, inset) forward loss vs Shannon entropy of p(x)", "T/J", "nats per spin", PlotKind.Scatter),
        };
        return new FigureTable(fig, "Forward-KL flows: loss, KL divergence, loss vs entropy (Hartnett & Mohseni Fig. 3)", panels, pts, meta);
    }

    private static FigureTable Fig4(List<Dictionary<string, double>> overlap, SkFlowFiguresParameters p, List<double> temps, Dictionary<string, string> meta)
    {
        const string fig = "hartnett-fig4";
        var pts = new List<FigurePoint>();
        var panels = new List<FigurePanel>();
        foreach (var t in temps)
        {
            string panel = TLabel(t);
            panels.Add(new FigurePanel(panel, $"P_J(q) at T = {t.ToString("G3", CultureInfo.InvariantCulture)}", "q", "P(q) per bin", PlotKind.Histogram));
            foreach (int source in new[] { EvaluationSource.ParallelTempering, EvaluationSource.Reverse, EvaluationSource.Forward, EvaluationSource.Online, EvaluationSource.Exact })
            {
                var rows = overlap.Where(r => (int)r["instance"] == p.Instance && (int)r["layerwise"] == 0 && (int)r["source"] == source && Same(r["temperature"], t)).OrderBy(r => r["k"]).ToList();
                pts.AddRange(Histogram(fig, panel, EvaluationSource.Name(source), rows, p.OverlapBins));
            }
        }
        return new FigureTable(fig, "Overlap distribution: PT vs reverse vs forward (vs online) flows (Hartnett & Mohseni Fig. 4)", panels, pts, meta);
    }

    private static FigureTable Fig5(List<Dictionary<string, double>> triangles, SkFlowFiguresParameters p, double t, Dictionary<string, string> meta)
    {
        const string fig = "hartnett-fig5";
        var pts = new List<FigurePoint>();
        var panels = new List<FigurePanel>();
        var sources = new[] { EvaluationSource.ParallelTempering, EvaluationSource.Forward, EvaluationSource.Reverse, EvaluationSource.Online };
        var perSource = sources.ToDictionary(s => s, s => triangles
            .Where(r => (int)r["instance"] == p.Instance && (int)r["layerwise"] == 0 && (int)r["source"] == s && Same(r["temperature"], t))
            .Select(r => (r["x"], r["y"])).ToList());
        double width = TriangleHistogram.BinWidth(perSource.Values.SelectMany(l => l).Select(v => Math.Max(v.Item1, v.Item2)).DefaultIfEmpty(0).Max());
        foreach (int source in sources)
        {
            string panel = EvaluationSource.Name(source);
            panels.Add(new FigurePanel(panel, $"{panel}: triangles of low-energy states, T = {t.ToString("G3", CultureInfo.InvariantCulture)}",
                TriangleHistogram.Axis("d_mid - d_min", width), TriangleHistogram.Axis("d_max - d_mid", width), PlotKind.Heatmap));
            pts.AddRange(TriangleHistogram.Cells(fig, panel, perSource[source], width));
        }
        var m = new Dictionary<string, string>(meta)
        {
            ["axes"] = "x = d_mid - d_min, y = d_max - d_mid: equilateral at the origin, acute isosceles on the x-axis",
            ["cells"] = $"fraction of triangles per {TriangleHistogram.DefaultBins} x {TriangleHistogram.DefaultBins} bin of width {width.ToString("R", CultureInfo.InvariantCulture)}",
        };
        return new FigureTable(fig, "Ultrametricity: triangle side differences (Hartnett & Mohseni Fig. 5)", panels, pts, m);
    }

    private static int LayerSource(IEnumerable<Dictionary<string, double>> rows, int instance)
    {
        var sources = rows.Where(r => (int)r["instance"] == instance && (int)r["layerwise"] == 1).Select(r => (int)r["source"]).ToHashSet();
        foreach (int s in new[] { EvaluationSource.Forward, EvaluationSource.Online, EvaluationSource.Reverse })
            if (sources.Contains(s)) return s;
        return -1;
    }

    private static FigureTable Fig6(List<Dictionary<string, double>> overlap, SkFlowFiguresParameters p, List<double> temps, Dictionary<string, string> meta)
    {
        const string fig = "hartnett-fig6";
        int source = LayerSource(overlap, p.Instance);
        var pts = new List<FigurePoint>();
        var panels = new List<FigurePanel>();
        foreach (var t in temps)
        {
            string panel = TLabel(t);
            panels.Add(new FigurePanel(panel, $"P_J(q) of the partial flows G^(l), T = {t.ToString("G3", CultureInfo.InvariantCulture)} ({EvaluationSource.Name(source)} flow)", "q", "P(q) per bin", PlotKind.Histogram));
            var rows = overlap.Where(r => (int)r["instance"] == p.Instance && (int)r["layerwise"] == 1 && (int)r["source"] == source && Same(r["temperature"], t)).ToList();
            foreach (var g in rows.GroupBy(r => (int)r["layer"]).OrderBy(g => g.Key))
                pts.AddRange(Histogram(fig, panel, $"l={g.Key}", g.OrderBy(r => r["k"]).ToList(), p.OverlapBins));
        }
        var m = new Dictionary<string, string>(meta) { ["flow"] = EvaluationSource.Name(source) };
        return new FigureTable(fig, "Layer-wise overlap distribution: a spin-glass transition inside the flow (Hartnett & Mohseni Fig. 6)", panels, pts, m);
    }

    private static FigureTable Fig7(List<Dictionary<string, double>> triangles, SkFlowFiguresParameters p, double t, Dictionary<string, string> meta)
    {
        const string fig = "hartnett-fig7";
        int source = LayerSource(triangles, p.Instance);
        var pts = new List<FigurePoint>();
        var panels = new List<FigurePanel>();
        var rows = triangles.Where(r => (int)r["instance"] == p.Instance && (int)r["layerwise"] == 1 && (int)r["source"] == source && Same(r["temperature"], t)).ToList();
        var groups = rows.GroupBy(r => (int)r["layer"]).OrderBy(g => g.Key).Select(g => ($"l={g.Key}", $"layer l = {g.Key}", g.Select(r => (r["x"], r["y"])).ToList())).ToList();
        groups.Add(("PT", "parallel tempering", triangles.Where(r => (int)r["instance"] == p.Instance && (int)r["source"] == EvaluationSource.ParallelTempering && Same(r["temperature"], t))
            .Select(r => (r["x"], r["y"])).ToList()));
        double width = TriangleHistogram.BinWidth(groups.SelectMany(g => g.Item3).Select(v => Math.Max(v.Item1, v.Item2)).DefaultIfEmpty(0).Max());
        foreach (var (panel, title, values) in groups)
        {
            panels.Add(new FigurePanel(panel, title, TriangleHistogram.Axis("d_mid - d_min", width), TriangleHistogram.Axis("d_max - d_mid", width), PlotKind.Heatmap));
            pts.AddRange(TriangleHistogram.Cells(fig, panel, values, width));
        }
        var m = new Dictionary<string, string>(meta)
        {
            ["flow"] = EvaluationSource.Name(source), ["temperature"] = t.ToString("R", CultureInfo.InvariantCulture),
            ["cells"] = $"fraction of triangles per {TriangleHistogram.DefaultBins} x {TriangleHistogram.DefaultBins} bin of width {width.ToString("R", CultureInfo.InvariantCulture)}",
        };
        return new FigureTable(fig, "Layer-wise triangle distribution of low-energy states (Hartnett & Mohseni Fig. 7)", panels, pts, m);
    }

    private static FigureTable OnlineVsFixed(List<Dictionary<string, double>> losses, SkFlowFiguresParameters p, Dictionary<string, string> meta)
    {
        const string fig = "sk-flow-online-vs-fixed";
        var pts = new List<FigurePoint>();
        foreach (var obj in new[] { FlowObjective.Forward, FlowObjective.Online })
            foreach (var g in losses.Where(r => (int)r["instance"] == p.Instance && (int)r["objective"] == (int)obj && double.IsFinite(r["heldout_nll"]) && double.IsFinite(r["wall_seconds"]))
                                    .GroupBy(r => r["temperature"]).OrderBy(g => g.Key))
            {
                string series = $"{(obj == FlowObjective.Forward ? "fixed dataset" : "online")}, {TLabel(g.Key)}";
                pts.AddRange(g.OrderBy(r => r["wall_seconds"]).Select(r => new FigurePoint(fig, "heldout", series, r["wall_seconds"], r["heldout_nll"], r["heldout_nll_err"])));
            }
        var panels = new List<FigurePanel> { new("heldout", "Held-out negative log-likelihood per wall-clock second", "wall seconds", "held-out NLL", PlotKind.Line) };
        return new FigureTable(fig, "Online vs fixed-dataset forward-KL training (the paper's outlook)", panels, pts, meta);
    }

    private static FigureTable ModeCollapse(List<Dictionary<string, double>> flows, List<Dictionary<string, double>> spinGlass, Dictionary<string, string> meta)
    {
        const string fig = "sk-flow-mode-collapse";
        var pts = new List<FigurePoint>();
        foreach (var obj in new[] { FlowObjective.Forward, FlowObjective.Reverse, FlowObjective.Online })
        {
            var rows = flows.Where(r => (int)r["objective"] == (int)obj).ToList();
            string name = EvaluationSource.Name(EvaluationSource.Of(obj));
            pts.AddRange(Averaged(fig, "tv", name, rows, "tv_pt"));
            pts.AddRange(Averaged(fig, "collapse", name, rows, "collapse"));
        }
        var noise = flows.GroupBy(r => r["temperature"]).OrderBy(g => g.Key).Select(g => new FigurePoint(fig, "tv", "noise floor", g.Key, g.Average(r => r["tv_noise"]), 0));
        pts.AddRange(noise);
        var pt = spinGlass.Where(r => (int)r["source"] == EvaluationSource.ParallelTempering && double.IsFinite(r["collapse"])).ToList();
        pts.AddRange(Averaged(fig, "collapse", "PT", pt, "collapse"));
        var panels = new List<FigurePanel>
        {
            new("tv", "Total-variation distance of P(q) to parallel tempering", "T/J", "TV", PlotKind.Scatter, LineSeries: ["noise floor"]),
            new("collapse", "Site-magnetisation indicator (1/N) sum_i <s_i>^2", "T/J", "(1/N) sum <s_i>^2", PlotKind.Scatter),
        };
        return new FigureTable(fig, "Mode collapse: P(q) distance and per-site magnetisations", panels, pts, meta);
    }

    /// <summary>Mean over instances per temperature; error = sqrt(sum err^2) / count.</summary>
    private static IEnumerable<FigurePoint> Averaged(string fig, string panel, string series, List<Dictionary<string, double>> rows, string column, bool perSpin = false)
    {
        foreach (var g in rows.Where(r => double.IsFinite(r[column])).GroupBy(r => r["temperature"]).OrderBy(g => g.Key))
        {
            var list = g.ToList();
            double scale(Dictionary<string, double> r) => perSpin ? 1.0 / r["n"] : 1.0;
            double mean = list.Average(r => r[column] * scale(r));
            double err = Math.Sqrt(list.Sum(r => Sq(r.GetValueOrDefault(column + "_err", 0) * scale(r)))) / list.Count;
            yield return new FigurePoint(fig, panel, series, g.Key, mean, err);
        }
    }

    /// <summary>Loss curves of one objective, one per temperature, averaged over instances at equal steps and thinned to at most maxPoints.</summary>
    private static IEnumerable<FigurePoint> LossCurves(string fig, string panel, List<Dictionary<string, double>> losses, int objective, int maxPoints)
    {
        foreach (var g in losses.Where(r => (int)r["objective"] == objective).GroupBy(r => r["temperature"]).OrderBy(g => g.Key))
        {
            var bySteps = g.GroupBy(r => r["step"]).OrderBy(s => s.Key).ToList();
            int stride = Math.Max(1, (bySteps.Count + maxPoints - 1) / maxPoints);
            for (int k = 0; k < bySteps.Count; k += stride)
                yield return new FigurePoint(fig, panel, TLabel(g.Key), bySteps[k].Key, bySteps[k].Average(r => r["loss"]), 0);
        }
    }

    /// <summary>P(q) rows (ordered by k) merged into at most maxBins bins; errors in quadrature.</summary>
    private static IEnumerable<FigurePoint> Histogram(string fig, string panel, string series, List<Dictionary<string, double>> rows, int maxBins)
    {
        int merge = rows.Count <= maxBins ? 1 : (rows.Count + maxBins - 1) / maxBins;
        for (int b = 0; b * merge < rows.Count; b++)
        {
            var group = rows.Skip(b * merge).Take(merge).ToList();
            yield return new FigurePoint(fig, panel, series, group.Average(r => r["q"]), group.Sum(r => r["p"]), Math.Sqrt(group.Sum(r => Sq(r["p_err"]))));
        }
    }

    private static double Sq(double x) => x * x;

    private static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));

    /// <summary>A table as rows of column -&gt; value (missing table: no rows).</summary>
    private static List<Dictionary<string, double>> Rows(UpstreamArtifact art, string table)
    {
        var path = art.PathOf(table + ".parquet");
        if (!File.Exists(path)) return [];
        var df = TableFile.Read(path);
        var list = new List<Dictionary<string, double>>((int)df.Rows.Count);
        for (long r = 0; r < df.Rows.Count; r++)
        {
            var d = new Dictionary<string, double>(df.Columns.Count, StringComparer.Ordinal);
            foreach (var c in df.Columns) d[c.Name] = Convert.ToDouble(c[r] ?? double.NaN, CultureInfo.InvariantCulture);
            list.Add(d);
        }
        return list;
    }
}
