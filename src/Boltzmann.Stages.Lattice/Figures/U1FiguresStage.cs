using System.Globalization;
using Boltzmann.Data.Figures;
using Boltzmann.Physics.Exact;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Lattice.U1;
using static Boltzmann.Stages.Lattice.LatticeTables;

namespace Boltzmann.Stages.Lattice.Figures;

/// <summary>
/// Figures of a U(1) run (Foreman, Jin &amp; Osborn 2021): average plaquette and &lt;Q_Z^2&gt; vs beta on the exact
/// finite-volume curves, the Q_Z history of one chain at the largest beta (topological freezing, their Fig. 4), and
/// the cost N_LF x tau_int(Q_R) vs beta for every (N_LF, eps) pair (their Fig. 3).
/// </summary>
public sealed class U1FiguresStage : StageKind<LatticeFiguresParameters>
{
    public const string KindName = "u1-figures";

    public override string Kind => KindName;
    public override int Version => 2;  // 2: N_LF series dodged in beta
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "figures: <cos x_P> and <Q^2> vs beta on the exact curves; Q_Z history; N_LF x tau_int(Q_R) vs beta";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("samples", [U1HmcStage.KindName])];

    protected override LatticeFiguresParameters Parse(ParameterReader r) => new(r.Int("exact_points", 61, min: 2, max: 100_000));

    protected override Task RunAsync(StageContext ctx, LatticeFiguresParameters p)
    {
        var samples = ctx.Input("samples");
        var up = samples.Parameters<U1HmcParameters>();
        var t = Read(samples, U1Estimates.ObservablesTable);
        var h = Read(samples, U1Estimates.HistoryTable);
        var meta = FigurePublisher.Metadata(ctx, samples);
        meta["lattice"] = $"{up.L}x{up.L}";
        string size = $"{up.L} x {up.L}";

        string fig = $"{ctx.Name}-observables";
        var pts = new List<FigurePoint>();
        // Series at the same beta (several N_LF; two quantities in the deviation panel) would hide each other: each is
        // drawn dodged by a small fraction of the beta range (1.2% per slot, centred on the true beta).
        var nlfs = Enumerable.Range(0, (int)t.Rows.Count).Select(r => (int)Get(t, "n_lf", r)).Distinct().Order().ToList();
        double step = 0.012 * Math.Max(up.Betas.Max() - up.Betas.Min(), 1e-9);
        double Dodge(int slot, int slots) => step * (slot - (slots - 1) / 2.0);
        for (long r = 0; r < t.Rows.Count; r++)
        {
            int n = (int)Get(t, "n_lf", r), j = nlfs.IndexOf(n);
            string series = $"HMC N_LF={n}";
            double b = Get(t, "beta", r);
            pts.Add(new FigurePoint(fig, "plaquette", series, b + Dodge(j, nlfs.Count), Get(t, "plaquette", r), Get(t, "plaquette_err", r)));
            pts.Add(new FigurePoint(fig, "q2", series, b + Dodge(j, nlfs.Count), Get(t, "q2", r), Get(t, "q2_err", r)));
            pts.Add(new FigurePoint(fig, "deviation", $"<cos> {series}", b + Dodge(2 * j, 2 * nlfs.Count), Get(t, "z_plaquette", r), 1));
            pts.Add(new FigurePoint(fig, "deviation", $"<Q^2> {series}", b + Dodge(2 * j + 1, 2 * nlfs.Count), Get(t, "z_q2", r), 1));
        }
        double lo = up.Betas.Min() * 0.9, hi = up.Betas.Max() * 1.05;
        for (int i = 0; i < p.ExactPoints; i++)
        {
            double b = lo + (hi - lo) * i / (p.ExactPoints - 1);
            pts.Add(new FigurePoint(fig, "plaquette", "exact", b, U1Exact.AveragePlaquette(up.L, up.L, b), 0));
            pts.Add(new FigurePoint(fig, "q2", "exact", b, U1Exact.MeanChargeSquared(up.L, up.L, b), 0));
        }
        FigurePublisher.Publish(ctx, new FigureTable(fig, $"2D U(1) HMC on {size} vs exact", [
            new FigurePanel("plaquette", "average plaquette <cos x_P> (N_LF dodged in beta)", "beta", "<cos x_P>", PlotKind.Scatter, LineSeries: ["exact"]),
            new FigurePanel("q2", "topological charge <Q_Z^2>", "beta", "<Q_Z^2>", PlotKind.Scatter, LogY: true, LineSeries: ["exact"]),
            new FigurePanel("deviation", "HMC - exact in standard errors", "beta", "z", PlotKind.Scatter),
        ], pts, meta));

        string hfig = $"{ctx.Name}-charge-history";
        double bmax = up.Betas.Max();
        int nlf0 = up.NLf[0];
        var hp = new List<FigurePoint>();
        for (long r = 0; r < h.Rows.Count; r++)
            if (Get(h, "beta", r) == bmax && (int)Get(h, "n_lf", r) == nlf0)
                hp.Add(new FigurePoint(hfig, "history", "Q_Z chain 0", Get(h, "trajectory", r), Get(h, "q_z", r), 0));
        FigurePublisher.Publish(ctx, new FigureTable(hfig, $"Q_Z history at beta = {bmax.ToString("G4", CultureInfo.InvariantCulture)}, N_LF = {nlf0}, {size}", [
            new FigurePanel("history", "topological charge along the chain", "trajectory", "Q_Z", PlotKind.Line),
        ], hp, meta));

        string cfig = $"{ctx.Name}-cost";
        var cp = new List<FigurePoint>();
        for (long r = 0; r < t.Rows.Count; r++)
            cp.Add(new FigurePoint(cfig, "cost", $"N_LF={(int)Get(t, "n_lf", r)}", Get(t, "beta", r) + Dodge(nlfs.IndexOf((int)Get(t, "n_lf", r)), nlfs.Count), Get(t, "nlf_tau_qr", r), Get(t, "nlf_tau_qr_err", r)));
        FigurePublisher.Publish(ctx, new FigureTable(cfig, $"HMC cost of an independent Q_R, {size}", [
            new FigurePanel("cost", "N_LF x tau_int(Q_R) (leapfrog steps, Sokal convention)", "beta", "N_LF tau_int", PlotKind.Scatter, LogY: true),
        ], cp, meta));
        return Task.CompletedTask;
    }
}
