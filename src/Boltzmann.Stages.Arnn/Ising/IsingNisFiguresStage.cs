using System.Globalization;
using Boltzmann.Data.Figures;
using Boltzmann.Data.Tables;
using Boltzmann.Physics.Exact;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Arnn.Ising;

/// <summary>
/// Figure <c>ising-nis</c> (PNG + tidy data) of an <see cref="IsingNisEvaluateStage"/> run, after Nicoli et al.,
/// PRE 101, 023304 (2020), Fig. 2: free energy, energy and specific heat per site vs β for every architecture, raw
/// variational ("ARCH variational") and NIS-corrected ("ARCH NIS") with their errors, on Kaufman's exact finite-lattice
/// curve; a panel of F − F_exact (where the variational bias and the NIS correction are visible at the scale of the
/// errors) and one of the reverse ESS/N.
/// </summary>
public sealed class IsingNisFiguresStage : StageKind<IsingNisFiguresParameters>
{
    public const string KindName = "ising-nis-figures";
    public const string Figure = "ising-nis";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "figure: Ising F, E, C per site vs beta (variational vs NIS vs exact), F - F_exact, ESS/N";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("evaluate", [IsingNisEvaluateStage.KindName])];

    protected override IsingNisFiguresParameters Parse(ParameterReader r) => new(r.Int("exact_points", 101, min: 2, max: 100_000));

    protected override Task RunAsync(StageContext ctx, IsingNisFiguresParameters p)
    {
        var up = ctx.Input("evaluate");
        var tp = System.Text.Json.JsonSerializer.Deserialize<IsingNisSetup>(File.ReadAllText(up.PathOf(IsingNisSetup.File)), JsonDefaults.Indented)
                 ?? throw new StageInputException($"{up.PathOf(IsingNisSetup.File)}: empty");
        var t = TableFile.Read(up.PathOf(IsingNisEvaluateStage.Table + ".parquet"));
        var points = new List<FigurePoint>();
        var betas = new List<double>();
        for (long r = 0; r < t.Rows.Count; r++)
        {
            string arch = tp.Architectures[(int)Get(t, "architecture", r)];
            double beta = Get(t, "beta", r);
            betas.Add(beta);
            foreach (var (panel, column) in new[] { ("f", "f"), ("e", "e"), ("c", "c") })
                foreach (var kind in new[] { "variational", "nis" })
                    points.Add(new FigurePoint(Figure, panel, Series(arch, kind), beta, Get(t, $"{column}_{kind}", r), Get(t, $"{column}_{kind}_err", r)));
            double fx = Get(t, "f_exact", r);
            foreach (var kind in new[] { "variational", "nis" })
                points.Add(new FigurePoint(Figure, "f-diff", Series(arch, kind), beta, Get(t, $"f_{kind}", r) - fx, Get(t, $"f_{kind}_err", r)));
            points.Add(new FigurePoint(Figure, "ess", arch, beta, Get(t, "ess", r), Get(t, "ess_err", r)));
        }
        if (betas.Count > 0)
        {
            double lo = betas.Min(), hi = betas.Max();
            int n = tp.L * tp.L;
            for (int i = 0; i < p.ExactPoints; i++)
            {
                double beta = lo + (hi - lo) * i / (p.ExactPoints - 1);
                var exact = IsingExact.Evaluate(tp.L, tp.L, beta);
                points.Add(new FigurePoint(Figure, "f", "exact", beta, -exact.LnZ / (beta * n), 0));
                points.Add(new FigurePoint(Figure, "e", "exact", beta, exact.EnergyPerSite, 0));
                points.Add(new FigurePoint(Figure, "c", "exact", beta, exact.SpecificHeatPerSite, 0));
                points.Add(new FigurePoint(Figure, "f-diff", "exact", beta, 0, 0));
            }
        }
        var meta = FigurePublisher.Metadata(ctx, up);
        meta["lattice"] = $"{tp.L}x{tp.L}";
        meta["epochs"] = string.Join(",", tp.Epochs);
        meta["batch"] = string.Join(",", tp.Batch);
        meta["samples"] = tp.Samples.ToString(CultureInfo.InvariantCulture);
        string[] exactLine = ["exact"];
        FigurePublisher.Publish(ctx, new FigureTable(Figure, $"2D Ising {tp.L} x {tp.L}: variational vs NIS vs exact (Kaufman)", [
            new FigurePanel("f", "free energy per site F/N", "beta", "F/N", PlotKind.Scatter, LineSeries: exactLine),
            new FigurePanel("f-diff", "F/N - F_exact/N", "beta", "F/N - exact", PlotKind.Scatter, LineSeries: exactLine),
            new FigurePanel("e", "energy per site E/N", "beta", "E/N", PlotKind.Scatter, LineSeries: exactLine),
            new FigurePanel("c", "specific heat per site C/N", "beta", "C/N", PlotKind.Scatter, LineSeries: exactLine),
            new FigurePanel("ess", "reverse ESS/N of the NIS weights", "beta", "ESS/N", PlotKind.Line),
        ], points, meta));
        return Task.CompletedTask;
    }

    /// <summary>The series name of an architecture's raw ("variational") or corrected ("NIS") estimate.</summary>
    public static string Series(string architecture, string kind) => $"{architecture} {(kind == "nis" ? "NIS" : kind)}";

    private static double Get(DataFrame t, string column, long row) => Convert.ToDouble(t[column][row], CultureInfo.InvariantCulture);
}
