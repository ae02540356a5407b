using System.Globalization;
using Boltzmann.Data.Figures;
using Boltzmann.Data.Tables;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.L2hmc.Evaluation;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.L2hmc.Figures;

/// <summary>
/// The figures of Foreman, Jin &amp; Osborn 2021 from an <c>l2hmc-evaluate</c> run: <c>foreman-fig3</c> (cost
/// N_LF x tau_int of Q_R and of Q_Z vs beta: every HMC pair, the trained sampler and the transfer models),
/// <c>foreman-fig4</c> (Q_Z history of chain 0 at the largest beta: the best HMC pair vs the trained sampler) and
/// <c>foreman-fig5</c> (per leapfrog layer of the trained sampler: (a) plaquette deviation, (b) modified energy
/// H − Σ ln|J|, (c) Q_R; mean over the traced chains with the spread as error bar, one series per beta).
/// </summary>
public sealed class L2hmcFiguresStage : StageKind<L2hmcFiguresParameters>
{
    public const string KindName = "l2hmc-figures";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "foreman-fig3 (N_LF x tau_int vs beta), foreman-fig4 (Q_Z history), foreman-fig5 (through the layers)";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("evaluation", [L2hmcEvaluateStage.KindName])];

    protected override L2hmcFiguresParameters Parse(ParameterReader r) => new();

    private static DataFrame Read(UpstreamArtifact a, string relative) => TableFile.Read(a.PathOf(relative + ".parquet"));
    private static double Get(DataFrame df, string column, long row) => Convert.ToDouble(df[column][row], CultureInfo.InvariantCulture);

    internal static string Label(SamplerKind kind, int nlf, double eps) => kind switch
    {
        SamplerKind.Hmc => $"HMC N_LF={nlf} eps={eps.ToString("G3", CultureInfo.InvariantCulture)}",
        SamplerKind.Trained => $"trained N_LF={nlf}",
        SamplerKind.Transfer => "transfer (no retraining)",
        _ => "transfer + short retraining",
    };

    protected override Task RunAsync(StageContext ctx, L2hmcFiguresParameters p)
    {
        var evaluation = ctx.Input("evaluation");
        var t = Read(evaluation, L2hmcEvaluateStage.ObservablesTable);
        var h = Read(evaluation, L2hmcEvaluateStage.HistoryTable);
        var layers = Read(evaluation, L2hmcEvaluateStage.LayersTable);
        var meta = FigurePublisher.Metadata(ctx, evaluation);
        int l = t.Rows.Count > 0 ? (int)Get(t, "l", 0) : 0;
        meta["lattice"] = $"{l}x{l}";

        var cost = new List<FigurePoint>();
        for (long r = 0; r < t.Rows.Count; r++)
        {
            var kind = (SamplerKind)(int)Get(t, "sampler", r);
            string series = Label(kind, (int)Get(t, "n_lf", r), Get(t, "eps", r));
            double b = Get(t, "beta", r);
            cost.Add(new FigurePoint("foreman-fig3", "qr", series, b, Get(t, "nlf_tau_qr", r), Get(t, "nlf_tau_qr_err", r)));
            cost.Add(new FigurePoint("foreman-fig3", "qz", series, b, Get(t, "nlf_tau_qz", r), Get(t, "nlf_tau_qz_err", r)));
        }
        FigurePublisher.Publish(ctx, new FigureTable("foreman-fig3", $"Cost of an independent charge, {l} x {l}: HMC vs trained (Foreman et al. Fig. 3)", [
            new FigurePanel("qr", "N_LF x tau_int(Q_R) (leapfrog steps; Sokal convention)", "beta", "N_LF tau_int(Q_R)", PlotKind.Scatter, LogY: true),
            new FigurePanel("qz", "N_LF x tau_int(Q_Z)", "beta", "N_LF tau_int(Q_Z)", PlotKind.Scatter, LogY: true),
        ], cost, meta));

        // Fig. 4: at the largest beta, the HMC pair with the smallest cost against the trained sampler.
        double bmax = Enumerable.Range(0, (int)t.Rows.Count).Select(r => Get(t, "beta", r)).DefaultIfEmpty(0).Max();
        long best = -1;
        for (long r = 0; r < t.Rows.Count; r++)
            if (Get(t, "beta", r) == bmax && (int)Get(t, "sampler", r) == (int)SamplerKind.Hmc
                && (best < 0 || Get(t, "nlf_tau_qr", r) < Get(t, "nlf_tau_qr", best))) best = r;
        var hp = new List<FigurePoint>();
        int bestNlf = best >= 0 ? (int)Get(t, "n_lf", best) : -1;
        for (long r = 0; r < h.Rows.Count; r++)
        {
            if (Get(h, "beta", r) != bmax) continue;
            var kind = (SamplerKind)(int)Get(h, "sampler", r);
            if (kind == SamplerKind.Hmc && (int)Get(h, "n_lf", r) == bestNlf)
                hp.Add(new FigurePoint("foreman-fig4", "history", $"HMC N_LF={bestNlf}", Get(h, "trajectory", r), Get(h, "q_z", r), 0));
            else if (kind == SamplerKind.Trained)
                hp.Add(new FigurePoint("foreman-fig4", "history", "trained", Get(h, "trajectory", r), Get(h, "q_z", r), 0));
        }
        FigurePublisher.Publish(ctx, new FigureTable("foreman-fig4", $"Q_Z along the chain at beta = {bmax.ToString("G4", CultureInfo.InvariantCulture)}, {l} x {l} (Foreman et al. Fig. 4)", [
            new FigurePanel("history", "topological charge of chain 0 (best HMC pair vs trained)", "trajectory", "Q_Z", PlotKind.Line),
        ], hp, meta));

        var lp = new List<FigurePoint>();
        for (long r = 0; r < layers.Rows.Count; r++)
        {
            string series = $"beta={Get(layers, "beta", r).ToString("G4", CultureInfo.InvariantCulture)}";
            double k = Get(layers, "layer", r);
            lp.Add(new FigurePoint("foreman-fig5", "a", series, k, Get(layers, "plaquette_deviation", r), Get(layers, "plaquette_deviation_sd", r)));
            lp.Add(new FigurePoint("foreman-fig5", "b", series, k, Get(layers, "modified_energy", r), Get(layers, "modified_energy_sd", r)));
            lp.Add(new FigurePoint("foreman-fig5", "c", series, k, Get(layers, "q_r", r), Get(layers, "q_r_sd", r)));
        }
        FigurePublisher.Publish(ctx, new FigureTable("foreman-fig5", $"Through the leapfrog layers of the trained sampler, {l} x {l} (Foreman et al. Fig. 5)", [
            new FigurePanel("a", "(a) <cos x_P>_k - <cos x_P>_exact (bars: spread over chains)", "leapfrog layer k", "plaquette deviation", PlotKind.Line),
            new FigurePanel("b", "(b) modified energy H - sum ln|J|", "leapfrog layer k", "H - sum ln|J|", PlotKind.Line),
            new FigurePanel("c", "(c) real-valued charge Q_R", "leapfrog layer k", "Q_R", PlotKind.Line),
        ], lp, meta));
        return Task.CompletedTask;
    }
}

/// <summary>The figure stage has no parameters.</summary>
public sealed record L2hmcFiguresParameters;
