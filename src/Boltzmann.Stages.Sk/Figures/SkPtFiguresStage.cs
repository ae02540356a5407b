using System.Globalization;
using Boltzmann.Data.Figures;
using Boltzmann.Data.Tables;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Exact;
using Boltzmann.Stages.Sk.Observables;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Sk.Figures;

/// <summary>
/// Figure data (tidy Parquet + CSV + JSON) and PNGs for the SK parallel-tempering stage: energy, specific
/// heat, &lt;q^2&gt; and tau_int vs T (PT against exact curves for small N), PT-minus-exact in standard
/// errors, swap acceptance per neighbouring pair, and P(q) at several temperatures.
/// </summary>
public sealed class SkPtFiguresStage : StageKind<SkPtFiguresParameters>
{
    public const string KindName = "sk-pt-figures";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "figure data and PNGs: E, C, <q^2>, tau_int vs T; swap acceptance; P(q)";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("observables", [SkPtObservablesStage.KindName]),
        new("exact", [SkExactStage.KindName], Required: false),
    ];

    protected override SkPtFiguresParameters Parse(ParameterReader r) =>
        new(r.Int("instance", 0, min: 0), r.OptionalDoubleList("overlap_temperatures", min: TemperatureRange.Min, max: TemperatureRange.Max), r.Int("overlap_bins", 64, min: 0));

    protected override Task RunAsync(StageContext ctx, SkPtFiguresParameters p)
    {
        var obs = ctx.Input("observables");
        var thermo = Filter(TableFile.Read(obs.PathOf(SkPtObservablesStage.Thermo + ".parquet")), p.Instance, ctx);
        var overlap = Filter(TableFile.Read(obs.PathOf(SkPtObservablesStage.Overlap + ".parquet")), p.Instance, ctx);
        var swaps = Filter(TableFile.Read(obs.PathOf(SkPtObservablesStage.Swaps + ".parquet")), p.Instance, ctx);
        var trips = Filter(TableFile.Read(obs.PathOf(SkPtObservablesStage.RoundTrips + ".parquet")), p.Instance, ctx);
        DataFrame? exactGrid = null;
        if (ctx.Upstream.TryGetValue("exact", out var ex))
        {
            var all = Filter(TableFile.Read(ex.PathOf(SkExactStage.Thermo + ".parquet")), p.Instance, ctx);
            exactGrid = all.Filter(((PrimitiveDataFrameColumn<int>)all["grid"]).ElementwiseEquals(1));
        }

        var meta = FigurePublisher.Metadata(ctx, obs);
        meta["instance"] = p.Instance.ToString(CultureInfo.InvariantCulture);
        var figures = new List<FigureTable>
        {
            Thermodynamics(thermo, exactGrid, meta),
            SwapAcceptance(swaps, trips, meta),
            OverlapDistribution(overlap, p.OverlapTemperatures, p.OverlapBins, meta),
        };
        // Points without a value (a PT temperature with no exact partner, <q^2> with one chain) are left out.
        foreach (var f in figures) FigurePublisher.Publish(ctx, f);
        return Task.CompletedTask;
    }

    private static DataFrame Filter(DataFrame df, int instance, StageContext ctx)
    {
        var col = (PrimitiveDataFrameColumn<int>)df["instance"];
        var rows = df.Filter(col.ElementwiseEquals(instance));
        if (rows.Rows.Count == 0)
            throw new StageInputException($"{ctx.Name}: instance {instance} is not in the upstream data (instances 0..{col.Max()})");
        return rows;
    }

    private static FigureTable Thermodynamics(DataFrame t, DataFrame? exact, Dictionary<string, string> meta)
    {
        const string fig = "sk-thermodynamics";
        var points = new List<FigurePoint>();
        IReadOnlyList<string> exactLine = ["exact"];
        var panels = new List<FigurePanel>
        {
            new("energy", "Energy per spin", "T", "E/N", PlotKind.Scatter, LineSeries: exactLine),
            new("specific-heat", "Specific heat per spin", "T", "C", PlotKind.Scatter, LineSeries: exactLine),
            new("q2", "Overlap <q^2> between independent chains", "T", "<q^2>", PlotKind.Scatter, LineSeries: exactLine),
            new("tau", "Integrated autocorrelation time of E (Sokal convention)", "T", "tau_int [samples]", PlotKind.Scatter),
        };
        foreach (var (panel, col, err) in new[] { ("energy", "energy", "energy_err"), ("specific-heat", "specific_heat", "specific_heat_err"), ("q2", "q2", "q2_err"), ("tau", "energy_tau", "energy_tau_err") })
            for (long r = 0; r < t.Rows.Count; r++)
                points.Add(new FigurePoint(fig, panel, "PT", D(t, "temperature", r), D(t, col, r), D(t, err, r)));
        if (exact is not null)
        {
            foreach (var (panel, col) in new[] { ("energy", "energy"), ("specific-heat", "specific_heat"), ("q2", "q2") })
                for (long r = 0; r < exact.Rows.Count; r++)
                    points.Add(new FigurePoint(fig, panel, "exact", D(exact, "temperature", r), D(exact, col, r), 0));
            panels.Add(new FigurePanel("deviation", "PT - exact in standard errors", "T", "(PT - exact) / sigma", PlotKind.Scatter));
            foreach (var (series, col) in new[] { ("E", "z_energy"), ("C", "z_specific_heat"), ("q^2", "z_q2") })
                for (long r = 0; r < t.Rows.Count; r++)
                    points.Add(new FigurePoint(fig, "deviation", series, D(t, "temperature", r), D(t, col, r), 1));
        }
        return new FigureTable(fig, "SK spin glass: parallel tempering" + (exact is null ? "" : " vs exact enumeration"), panels, points, meta);
    }

    private static FigureTable SwapAcceptance(DataFrame swaps, DataFrame trips, Dictionary<string, string> meta)
    {
        const string fig = "sk-swap-acceptance";
        var points = new List<FigurePoint>();
        for (long r = 0; r < swaps.Rows.Count; r++)
            points.Add(new FigurePoint(fig, "swaps", $"chain {(int)swaps["chain"][r]}",
                Math.Sqrt(D(swaps, "t_low", r) * D(swaps, "t_high", r)), D(swaps, "acceptance", r), 0));
        var m = new Dictionary<string, string>(meta);
        for (long r = 0; r < trips.Rows.Count; r++)
            m[$"round_trips_chain_{(int)trips["chain"][r]}"] = ((long)trips["round_trips"][r]).ToString(CultureInfo.InvariantCulture);
        var panels = new List<FigurePanel> { new("swaps", "Replica-exchange acceptance per neighbouring pair", "sqrt(T_k T_k+1)", "acceptance", PlotKind.Bar) };
        return new FigureTable(fig, "Parallel tempering: swap acceptance", panels, points, m);
    }

    private static FigureTable OverlapDistribution(DataFrame o, double[]? wanted, int maxBins, Dictionary<string, string> meta)
    {
        const string fig = "sk-overlap";
        var temps = ((PrimitiveDataFrameColumn<double>)o["temperature"]).Select(x => x!.Value).Distinct().Order().ToList();
        var chosen = wanted is { Length: > 0 }
            ? wanted.Select(w => temps.MinBy(t => Math.Abs(t - w))).Distinct().ToList()
            : new[] { temps[0], temps[temps.Count / 2], temps[^1] }.Distinct().ToList();
        var panels = new List<FigurePanel>();
        var points = new List<FigurePoint>();
        foreach (var t in chosen)
        {
            var rows = Enumerable.Range(0, (int)o.Rows.Count).Where(r => Math.Abs(D(o, "temperature", r) - t) <= 1e-12).ToList();
            int values = rows.Count;                       // N + 1 overlap values q_k = 1 - 2k/N
            int merge = maxBins <= 0 || values <= maxBins ? 1 : (values + maxBins - 1) / maxBins;
            string panel = $"T={t.ToString("G4", CultureInfo.InvariantCulture)}";
            string unit = merge == 1 ? "P(q) per q value" : $"P(q) per bin of {merge} q values";
            panels.Add(new FigurePanel(panel, $"P(q) at T = {t.ToString("G4", CultureInfo.InvariantCulture)}", "q", unit, PlotKind.Histogram));
            // Merging adjacent values adds their probabilities; errors add in quadrature (bins treated as independent).
            for (int b = 0; b * merge < values; b++)
            {
                var group = rows.Skip(b * merge).Take(merge).ToList();
                double q = group.Average(r => D(o, "q", r));
                points.Add(new FigurePoint(fig, panel, "PT", q, group.Sum(r => D(o, "p", r)), Math.Sqrt(group.Sum(r => D(o, "p_err", r) * D(o, "p_err", r)))));
                if (group.All(r => !double.IsNaN(D(o, "p_exact", r))))
                    points.Add(new FigurePoint(fig, panel, "exact", q, group.Sum(r => D(o, "p_exact", r)), 0));
            }
        }
        return new FigureTable(fig, "Overlap distribution between independent replicas", panels, points, meta);
    }

    private static double D(DataFrame df, string col, long row) => Convert.ToDouble(df[col][row], CultureInfo.InvariantCulture);
}
