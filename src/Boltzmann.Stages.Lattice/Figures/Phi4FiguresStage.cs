using System.Globalization;
using Boltzmann.Data.Figures;
using Boltzmann.Physics.Exact;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Lattice.Phi4;
using static Boltzmann.Stages.Lattice.LatticeTables;

namespace Boltzmann.Stages.Lattice.Figures;

/// <summary>
/// Figures of a phi^4 run: &lt;|m|&gt;, chi and Binder U vs kappa (the Z2 transition, Nicoli et al. 2021), and with a
/// free-energy input F/V vs kappa by partition-function ratios and by thermodynamic integration, on the exact
/// Gaussian curve when lambda = 0, with both methods' deviations in standard errors; at lambda = 0 the magnetisation
/// panels carry the exact Gaussian &lt;|m|&gt;, chi and U = 0.
/// </summary>
public sealed class Phi4FiguresStage : StageKind<LatticeFiguresParameters>
{
    public const string KindName = "phi4-figures";

    public override string Kind => KindName;
    public override int Version => 2;  // 2: exact Gaussian curves at lambda = 0, dodged methods, labelled deviation panel
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "figures: <|m|>, chi, Binder vs kappa; F/V vs kappa (ratios, integration, exact at lambda = 0)";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("samples", [Phi4HmcStage.KindName]),
        new("free_energy", [Phi4FreeEnergyStage.KindName], Required: false),
    ];

    protected override LatticeFiguresParameters Parse(ParameterReader r) => new(r.Int("exact_points", 101, min: 2, max: 100_000));

    protected override Task RunAsync(StageContext ctx, LatticeFiguresParameters p)
    {
        var samples = ctx.Input("samples");
        var up = samples.Parameters<Phi4HmcParameters>();
        var t = Read(samples, Phi4Estimates.ObservablesTable);
        var meta = FigurePublisher.Metadata(ctx, samples);
        meta["lattice"] = $"{up.L}x{up.T}";
        meta["lambda"] = up.Lambda.ToString("R", CultureInfo.InvariantCulture);
        string label = $"lambda = {up.Lambda.ToString("G4", CultureInfo.InvariantCulture)}, {up.L} x {up.T}";

        string fig = $"{ctx.Name}-magnetisation";
        var points = new List<FigurePoint>();
        foreach (var (panel, col) in new[] { ("abs-m", "abs_m"), ("chi", "chi"), ("binder", "binder") })
            for (long r = 0; r < t.Rows.Count; r++)
                points.Add(new FigurePoint(fig, panel, "HMC", Get(t, "kappa", r), Get(t, col, r), Get(t, col + "_err", r)));
        bool free = up.Lambda == 0;
        if (free)
        {
            // lambda = 0: m is Gaussian with <m^2> = 1/(2V(1 - 4 kappa)), so <|m|> = sqrt(2 <m^2>/pi),
            // chi = V <m^2> (1 - 2/pi) and U = 0 (<m^4> = 3 <m^2>^2); valid for kappa < 1/4.
            int v = up.L * up.T;
            double kmax = Math.Min(up.Kappas[^1], 0.2499);
            for (int i = 0; i < p.ExactPoints; i++)
            {
                double k = kmax * i / (p.ExactPoints - 1);
                double m2 = FreeScalarField.MeanMagnetizationSquared(up.L, up.T, k);
                points.Add(new FigurePoint(fig, "abs-m", "exact (Gaussian)", k, Math.Sqrt(2 * m2 / Math.PI), 0));
                points.Add(new FigurePoint(fig, "chi", "exact (Gaussian)", k, v * m2 * (1 - 2 / Math.PI), 0));
                points.Add(new FigurePoint(fig, "binder", "exact (Gaussian)", k, 0, 0));
            }
        }
        string[]? exactLine = free ? ["exact (Gaussian)"] : null;
        FigurePublisher.Publish(ctx, new FigureTable(fig, $"phi^4 HMC, {label}", [
            new FigurePanel("abs-m", "<|m|>", "kappa", "<|m|>", PlotKind.Scatter, LineSeries: exactLine),
            new FigurePanel("chi", "chi = V (<m^2> - <|m|>^2)", "kappa", "chi", PlotKind.Scatter, LineSeries: exactLine),
            new FigurePanel("binder", "Binder U = 1 - <m^4>/(3 <m^2>^2)", "kappa", "U", PlotKind.Scatter, LineSeries: exactLine),
        ], points, meta));

        if (ctx.Upstream.TryGetValue("free_energy", out var fe))
        {
            var f = Read(fe, Phi4FreeEnergyStage.Table);
            string ffig = $"{ctx.Name}-free-energy";
            var fp = new List<FigurePoint>();
            // The two estimates agree to far below a marker size: draw them dodged by +-0.4% of the kappa range so
            // both stay visible (the deviation panel carries the quantitative comparison at the true kappa).
            double dodge = 0.004 * (up.Kappas[^1] - up.Kappas[0]);
            for (long r = 0; r < f.Rows.Count; r++)
            {
                double k = Get(f, "kappa", r);
                fp.Add(new FigurePoint(ffig, "f", "ratios", k - dodge, Get(f, "f_ratio", r), Get(f, "f_ratio_err", r)));
                fp.Add(new FigurePoint(ffig, "f", "integration", k + dodge, Get(f, "f_ti", r), Get(f, "f_ti_err", r)));
                fp.Add(new FigurePoint(ffig, "deviation", "ratios - integration", k, Get(f, "z_ratio_ti", r), 1));
                fp.Add(new FigurePoint(ffig, "deviation", "ratios - exact", k, Get(f, "z_ratio_exact", r), 1));
                fp.Add(new FigurePoint(ffig, "deviation", "integration - exact", k, Get(f, "z_ti_exact", r), 1));
            }
            if (up.Lambda == 0)
            {
                double kmax = Math.Min(up.Kappas[^1], 0.2499);
                for (int i = 0; i < p.ExactPoints; i++)
                {
                    double k = kmax * i / (p.ExactPoints - 1);
                    fp.Add(new FigurePoint(ffig, "f", "exact", k, -FreeScalarField.LnZ(up.L, up.T, k) / (up.L * up.T), 0));
                }
            }
            FigurePublisher.Publish(ctx, new FigureTable(ffig, $"phi^4 free energy per site, {label}", [
                new FigurePanel("f", "F/V = -ln Z / V from kappa = 0 (methods dodged in kappa)", "kappa", "F/V", PlotKind.Scatter, LineSeries: ["exact"]),
                new FigurePanel("deviation", up.Lambda == 0 ? "differences in standard errors" : "ratios - integration in standard errors", "kappa", "z", PlotKind.Scatter),
            ], fp, meta));
        }
        return Task.CompletedTask;
    }
}
