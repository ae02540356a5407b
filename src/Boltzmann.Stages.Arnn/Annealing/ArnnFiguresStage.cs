using System.Globalization;
using System.Text.Json;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Data.Figures;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Arnn.Annealing;

/// <summary>
/// Figure data (tidy Parquet + CSV + JSON) and PNGs of an <see cref="ArnnAnnealStage"/> run, in the layout of Biazzo 2023:
/// <list type="bullet">
/// <item><c>biazzo-fig4</c> (Curie-Weiss): A1-A3 relative error of the variational free energy per spin vs beta for three
/// sizes (log y); B mean and max over beta of that error vs N for 1P and CW_inf; C P(q) at beta = 1.3 for the largest N with
/// the exact P(q) overlaid.</item>
/// <item><c>biazzo-fig5</c> (SK): A1-A3 relative difference to SK_2RSB vs beta, averaged over instances (error: standard
/// error over instances), of the variational free energies f_q (rel_error) as in the paper (the Z2-symmetrised NIS
/// free energies, unbiased even for a network collapsed onto one mirror half, are in the anneal table); B parameter counts vs N of every architecture from the closed-form formulas; C P(q) at beta = 1.5
/// for the largest N and D for the smallest N (with the exact enumeration P(q) when available), averaged over instances.</item>
/// </list>
/// </summary>
public sealed class ArnnFiguresStage : StageKind<ArnnFiguresParameters>
{
    public const string KindName = "arnn-figures";
    public const string Figure4 = "biazzo-fig4";
    public const string Figure5 = "biazzo-fig5";

    public override string Kind => KindName;
    public override int Version => 3;
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "figure data and PNGs of Biazzo Fig. 4 (Curie-Weiss) or Fig. 5 (SK) from an arnn-anneal run";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("anneal", [ArnnAnnealStage.KindName])];

    protected override ArnnFiguresParameters Parse(ParameterReader r)
    {
        var sizes = r.OptionalDoubleList("panel_sizes", min: 2) ?? [];
        if (sizes.Length > 3) r.Error("panel_sizes", $"{sizes.Length} sizes given; panels A1-A3 show at most 3");
        var beta = r.OptionalDouble("overlap_beta", greaterThan: 0);
        var parameterSizes = r.OptionalDoubleList("parameter_sizes", min: 2) ?? [10, 20, 50, 100, 200];
        int bins = r.Int("overlap_bins", 64, min: 0);
        return new ArnnFiguresParameters(sizes, beta, parameterSizes, bins);
    }

    protected override void Validate(ArnnFiguresParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var a = UpstreamParameters<ArnnAnnealParameters>(upstream["anneal"]);
        if (p.OverlapBeta is { } b && !a.OverlapBetas.Any(x => Math.Abs(x - b) < 1e-9))
            r.Error("overlap_beta", $"value {b.ToString(CultureInfo.InvariantCulture)} is not among the upstream overlap_betas [{string.Join(", ", a.OverlapBetas.Select(x => x.ToString(CultureInfo.InvariantCulture)))}]");
        if (a.IsCurieWeiss)
            foreach (var n in p.PanelSizes.Where(n => !a.Sizes.Contains((int)n)))
                r.Error("panel_sizes", $"N = {n.ToString(CultureInfo.InvariantCulture)} is not among the upstream sizes [{string.Join(", ", a.Sizes)}]");
    }

    protected override Task RunAsync(StageContext ctx, ArnnFiguresParameters p)
    {
        var up = ctx.Input("anneal");
        var a = up.Parameters<ArnnAnnealParameters>();
        var names = JsonSerializer.Deserialize<string[]>(File.ReadAllText(up.PathOf(ArnnAnnealStage.ArchitecturesFile)))
                    ?? throw new StageInputException($"{up.PathOf(ArnnAnnealStage.ArchitecturesFile)}: empty");
        var fe = TableFile.Read(up.PathOf(ArnnAnnealStage.FreeEnergy + ".parquet"));
        string overlapPath = up.PathOf(ArnnAnnealStage.Overlap + ".parquet");
        var overlap = File.Exists(overlapPath) ? TableFile.Read(overlapPath) : null;
        var rows = Rows(fe);
        var sizes = rows.Select(r => r.N).Distinct().Order().ToList();
        var panelSizes = p.PanelSizes.Length > 0 ? p.PanelSizes.Select(x => (int)x).ToList()
            : new[] { sizes[0], sizes[sizes.Count / 2], sizes[^1] }.Distinct().ToList();
        foreach (var n in panelSizes.Where(n => !sizes.Contains(n)))
            throw new StageInputException($"{ctx.Name}: N = {n} is not in the upstream results (sizes {string.Join(", ", sizes)})");
        double overlapBeta = p.OverlapBeta ?? (a.IsCurieWeiss ? 1.3 : 1.5);

        var meta = FigurePublisher.Metadata(ctx, up);
        meta["epochs"] = a.Epochs.ToString(CultureInfo.InvariantCulture);
        meta["batch"] = a.Batch.ToString(CultureInfo.InvariantCulture);
        meta["samples"] = a.Samples.ToString(CultureInfo.InvariantCulture);
        var figure = a.IsCurieWeiss
            ? CurieWeissFigure(names, rows, overlap, panelSizes, overlapBeta, p.OverlapBins, meta)
            : SkFigure(names, rows, overlap, panelSizes, overlapBeta, p.ParameterSizes.Select(x => (int)x).Concat(sizes).Distinct().Order().ToList(), p.OverlapBins, meta);
        figure = figure with { Points = figure.Points.Where(pt => double.IsFinite(pt.X) && double.IsFinite(pt.Y) && double.IsFinite(pt.YErr)).ToList() };
        FigurePublisher.Publish(ctx, figure);
        return Task.CompletedTask;
    }

    private sealed record Row(int Architecture, int N, int Instance, double Beta, double RelError, double RelErrorErr);

    private static List<Row> Rows(DataFrame t)
    {
        var list = new List<Row>();
        for (long r = 0; r < t.Rows.Count; r++)
            list.Add(new Row(I(t, "architecture", r), I(t, "n", r), I(t, "instance", r), D(t, "beta", r), D(t, "rel_error", r), D(t, "rel_error_err", r)));
        return list;
    }

    private static FigureTable CurieWeissFigure(string[] names, List<Row> rows, DataFrame? overlap, List<int> panelSizes, double overlapBeta, int bins, Dictionary<string, string> meta)
    {
        var panels = new List<FigurePanel>();
        var points = new List<FigurePoint>();
        for (int i = 0; i < panelSizes.Count; i++)
        {
            string panel = $"A{i + 1}";
            panels.Add(new FigurePanel(panel, $"A{i + 1}: N = {panelSizes[i]}", "beta", "|f_q - f| / |f|", PlotKind.Line, LogY: true));
            foreach (var r in rows.Where(r => r.N == panelSizes[i] && r.RelError != 0))
                points.Add(new FigurePoint(Figure4, panel, names[r.Architecture], r.Beta, Math.Abs(r.RelError), r.RelErrorErr));
        }
        panels.Add(new FigurePanel("B", "B: mean and max over beta of the relative error", "N", "relative error", PlotKind.Line, LogY: true));
        var small = names.Select((n, i) => (n, i)).Where(x => x.n is "1P" or "CW_inf").ToList();
        if (small.Count == 0) small = names.Select((n, i) => (n, i)).ToList();
        foreach (var (name, idx) in small)
            foreach (var g in rows.Where(r => r.Architecture == idx && double.IsFinite(r.RelError)).GroupBy(r => r.N).OrderBy(g => g.Key))
            {
                points.Add(new FigurePoint(Figure4, "B", $"{name} mean", g.Key, g.Average(r => Math.Abs(r.RelError)), 0));
                points.Add(new FigurePoint(Figure4, "B", $"{name} max", g.Key, g.Max(r => Math.Abs(r.RelError)), 0));
            }
        if (overlap is not null)
        {
            int n = panelSizes.Max();
            var nOverlap = Distinct(overlap, "n").Where(x => HasOverlap(overlap, (int)x, overlapBeta)).Select(x => (int)x).ToList();
            if (nOverlap.Count > 0)
            {
                n = nOverlap.Max();
                panels.Add(new FigurePanel("C", $"C: P(q) at beta = {F(overlapBeta)}, N = {n}", "q", "P(q)", PlotKind.Histogram, LineSeries: ["exact"]));
                points.AddRange(OverlapPoints(Figure4, "C", names, overlap, n, overlapBeta, bins, exact: true));
            }
        }
        return new FigureTable(Figure4, "Curie-Weiss (J = 1): autoregressive networks vs the exact free energy (Biazzo Fig. 4)", panels, points, meta);
    }

    private static FigureTable SkFigure(string[] names, List<Row> rows, DataFrame? overlap, List<int> panelSizes, double overlapBeta, List<int> parameterSizes, int bins, Dictionary<string, string> meta)
    {
        var panels = new List<FigurePanel>();
        var points = new List<FigurePoint>();
        for (int i = 0; i < panelSizes.Count; i++)
        {
            string panel = $"A{i + 1}";
            // The paper's view: variational free energies f_q relative to SK_2RSB's f_q (what ranks the architectures:
            // every NIS estimate converges to the same exact f, so NIS differences are flat noise). The Z2-symmetrised NIS
            // values (unbiased references) stay in the anneal table (rel_error_nis_sym, rel_error_nis_sym_exact).
            var sized = rows.Where(r => r.N == panelSizes[i]).ToList();
            panels.Add(new FigurePanel(panel, $"A{i + 1}: N = {panelSizes[i]}, variational f_q, mean over instances", "beta", "(f_q - f_q[SK_2RSB]) / |f_q[SK_2RSB]|", PlotKind.Line));
            foreach (var g in sized.Where(r => names[r.Architecture] != "SK_2RSB" && double.IsFinite(r.RelError))
                                  .GroupBy(r => (r.Architecture, r.Beta)).OrderBy(g => g.Key.Architecture).ThenBy(g => g.Key.Beta))
            {
                var v = g.Select(r => r.RelError).ToArray();
                double mean = v.Average();
                double err = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1) / v.Length) : g.First().RelErrorErr;
                points.Add(new FigurePoint(Figure5, panel, names[g.Key.Architecture], g.Key.Beta, mean, err));
            }
        }
        panels.Add(new FigurePanel("B", "B: number of parameters (closed-form counts)", "N", "parameters", PlotKind.Line, LogX: true, LogY: true));
        foreach (var arch in AutoregressiveArchitecture.Paper)
            foreach (int n in parameterSizes)
                points.Add(new FigurePoint(Figure5, "B", arch.Name, n, arch.ParameterCount(n), 0));
        if (overlap is not null)
        {
            var ns = Distinct(overlap, "n").Select(x => (int)x).Where(n => HasOverlap(overlap, n, overlapBeta)).Order().ToList();
            if (ns.Count > 0)
            {
                panels.Add(new FigurePanel("C", $"C: P(q) at beta = {F(overlapBeta)}, N = {ns[^1]}, mean over instances", "q", "P(q)", PlotKind.Histogram, LineSeries: ["exact"]));
                points.AddRange(OverlapPoints(Figure5, "C", names, overlap, ns[^1], overlapBeta, bins, exact: true));
                panels.Add(new FigurePanel("D", $"D: P(q) at beta = {F(overlapBeta)}, N = {ns[0]}, mean over instances", "q", "P(q)", PlotKind.Histogram, LineSeries: ["exact"]));
                points.AddRange(OverlapPoints(Figure5, "D", names, overlap, ns[0], overlapBeta, bins, exact: true));
            }
        }
        return new FigureTable(Figure5, "SK spin glass (J = 1): autoregressive networks vs SK_2RSB (Biazzo Fig. 5)", panels, points, meta);
    }

    private static bool HasOverlap(DataFrame o, int n, double beta)
    {
        for (long r = 0; r < o.Rows.Count; r++)
            if (I(o, "n", r) == n && Math.Abs(D(o, "beta", r) - beta) < 1e-9) return true;
        return false;
    }

    /// <summary>
    /// P(q) of every architecture at (N, beta), averaged over instances (errors: the per-instance errors in quadrature
    /// divided by the number of instances), with adjacent q values merged into at most <paramref name="maxBins"/> bins
    /// (probabilities add, errors add in quadrature); "exact" is the instance-averaged exact P(q) where it is known.
    /// </summary>
    private static IEnumerable<FigurePoint> OverlapPoints(string fig, string panel, string[] names, DataFrame o, int n, double beta, int maxBins, bool exact)
    {
        var sel = new List<(int A, int I, int K, double P, double E, double X)>();
        for (long r = 0; r < o.Rows.Count; r++)
            if (I(o, "n", r) == n && Math.Abs(D(o, "beta", r) - beta) < 1e-9)
                sel.Add((I(o, "architecture", r), I(o, "instance", r), I(o, "k", r), D(o, "p", r), D(o, "p_err", r), D(o, "p_exact", r)));
        int values = n + 1;
        int merge = maxBins <= 0 || values <= maxBins ? 1 : (values + maxBins - 1) / maxBins;
        foreach (var byArch in sel.GroupBy(s => s.A).OrderBy(g => g.Key))
        {
            int instances = byArch.Select(s => s.I).Distinct().Count();
            var p = new double[values];
            var e2 = new double[values];
            var x = new double[values];
            foreach (var s in byArch)
            {
                p[s.K] += s.P / instances;
                e2[s.K] += s.E * s.E / ((double)instances * instances);
                x[s.K] += s.X / instances;
            }
            for (int b = 0; b * merge < values; b++)
            {
                var ks = Enumerable.Range(b * merge, Math.Min(merge, values - b * merge)).ToList();
                double q = ks.Average(k => 1.0 - 2.0 * k / n);
                yield return new FigurePoint(fig, panel, names[byArch.Key], q, ks.Sum(k => p[k]), Math.Sqrt(ks.Sum(k => e2[k])));
                if (exact && byArch.Key == sel[0].A && ks.All(k => double.IsFinite(x[k])))
                    yield return new FigurePoint(fig, panel, "exact", q, ks.Sum(k => x[k]), 0);
            }
        }
    }

    private static IEnumerable<double> Distinct(DataFrame t, string col)
    {
        var set = new SortedSet<double>();
        for (long r = 0; r < t.Rows.Count; r++) set.Add(D(t, col, r));
        return set;
    }

    private static string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static double D(DataFrame df, string col, long row) => Convert.ToDouble(df[col][row], CultureInfo.InvariantCulture);

    private static int I(DataFrame df, string col, long row) => Convert.ToInt32(df[col][row], CultureInfo.InvariantCulture);
}
