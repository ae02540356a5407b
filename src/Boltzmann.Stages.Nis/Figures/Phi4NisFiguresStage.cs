using System.Globalization;
using Boltzmann.Data.Figures;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Lattice.Phi4;
using Boltzmann.Stages.Nis.Evaluation;
using Boltzmann.Stages.Nis.Gradients;
using static Boltzmann.Stages.Lattice.LatticeTables;

namespace Boltzmann.Stages.Nis.Figures;

/// <summary>Parameters of <see cref="Phi4NisFiguresStage"/> (none yet; the record keeps the stage kind's shape).</summary>
public sealed record Phi4NisFiguresParameters;

/// <summary>
/// Figures of the phi4-nis pipeline (Nicoli et al. PRL 2021, PRD 2023; Nicoli 2024 talk), PNG + data through
/// <see cref="FigurePublisher"/>: (a) F/V vs kappa, NIS (F_q, F_p of every flow family) against the HMC free energy
/// along kappa, with the differences in standard errors and the errors at equal N and equal wall time; (b) mode
/// dropping across the transition: ŵ, reverse ESS and forward ESS vs kappa per flow family; (c) reverse ESS vs
/// lattice size for path vs total gradient with the extra cost per iteration; (d) the wall time to reach a given error
/// on F/V by NIS (training included) vs by HMC on the same lattice.
/// </summary>
public sealed class Phi4NisFiguresStage : StageKind<Phi4NisFiguresParameters>
{
    public const string KindName = "phi4-nis-figures";

    /// <summary>The flow families, one optional evaluation slot each: (slot, legend).</summary>
    public static readonly (string Slot, string Label)[] Families =
    [
        ("reverse", "reverse KL"), ("reverse_sym", "reverse KL, q_sym of the plain flow"), ("reverse_z2", "reverse KL, Z2-equivariant"),
        ("forward", "forward KL"), ("forward_z2", "forward KL, Z2-equivariant"),
    ];

    public override string Kind => KindName;
    public override int Version => 2;
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "figures: F/V vs kappa (NIS vs HMC), w-hat and ESS vs kappa (mode dropping), ESS vs lattice size (path vs total gradient)";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        .. Families.Select(f => new UpstreamSlot(f.Slot, [Phi4NisEvaluateStage.KindName], Required: false)),
        new("free_energy", [Phi4FreeEnergyStage.KindName], Required: false),
        new("gradients", [Phi4NisGradientsStage.KindName], Required: false),
    ];

    protected override Phi4NisFiguresParameters Parse(ParameterReader r) => new();

    protected override Task RunAsync(StageContext ctx, Phi4NisFiguresParameters p)
    {
        var families = Families.Where(f => ctx.Upstream.ContainsKey(f.Slot)).ToList();
        if (families.Count > 0) FreeEnergyAndModeDropping(ctx, families);
        if (ctx.Upstream.TryGetValue("gradients", out var gradients)) Gradients(ctx, gradients);
        return Task.CompletedTask;
    }

    private static void FreeEnergyAndModeDropping(StageContext ctx, List<(string Slot, string Label)> families)
    {
        var first = ctx.Upstream[families[0].Slot];
        var meta = FigurePublisher.Metadata(ctx, first);
        string ffig = $"{ctx.Name}-free-energy", mfig = $"{ctx.Name}-mode-dropping";
        var fp = new List<FigurePoint>();
        var mp = new List<FigurePoint>();
        Dictionary<double, (double F, double Err)> hmc = [];
        if (ctx.Upstream.TryGetValue("free_energy", out var fe))
        {
            var f = Read(fe, Phi4FreeEnergyStage.Table);
            for (long r = 0; r < f.Rows.Count; r++)
            {
                double k = Get(f, "kappa", r);
                hmc[k] = (Get(f, "f_ratio", r), Get(f, "f_ratio_err", r));
                fp.Add(new FigurePoint(ffig, "f", "HMC (ratios from kappa = 0)", k, Get(f, "f_ratio", r), Get(f, "f_ratio_err", r)));
            }
        }
        double span = 0;
        foreach (var (slot, label) in families)
        {
            var t = Read(ctx.Upstream[slot], Phi4NisEvaluateStage.Table);
            for (long r = 0; r < t.Rows.Count; r++) span = Math.Max(span, Get(t, "kappa", r));
        }
        double dodge = 0.002 * Math.Max(span, 1e-3);
        for (int j = 0; j < families.Count; j++)
        {
            var (slot, label) = families[j];
            var t = Read(ctx.Upstream[slot], Phi4NisEvaluateStage.Table);
            double shift = (j - (families.Count - 1) / 2.0) * dodge;
            for (long r = 0; r < t.Rows.Count; r++)
            {
                double k = Get(t, "kappa", r);
                double fq = Get(t, "f_q", r), fqe = Get(t, "f_q_err", r), fpv = Get(t, "f_p", r), fpe = Get(t, "f_p_err", r);
                fp.Add(new FigurePoint(ffig, "f", $"F_q, {label}", k + shift, fq, fqe));
                if (double.IsFinite(fpv)) fp.Add(new FigurePoint(ffig, "f", $"F_p, {label}", k + shift, fpv, fpe));
                if (hmc.TryGetValue(k, out var h))
                {
                    fp.Add(new FigurePoint(ffig, "deviation", $"F_q - HMC, {label}", k + shift, (fq - h.F) / Math.Sqrt(fqe * fqe + h.Err * h.Err), 1));
                    fp.Add(new FigurePoint(ffig, "errors", $"HMC, N = {Get(t, "hmc_samples", r):F0}", k, h.Err, 0));
                }
                fp.Add(new FigurePoint(ffig, "errors", $"F_q at the same N, {label}", k + shift, fqe * Math.Sqrt(Get(t, "samples", r) / Math.Max(1, Get(t, "hmc_samples", r))), 0));
                if (double.IsFinite(Get(t, "f_q_err_at_hmc_time", r)))
                    fp.Add(new FigurePoint(ffig, "errors", $"F_q at the HMC wall time, {label}", k + shift, Get(t, "f_q_err_at_hmc_time", r), 0));
                mp.Add(new FigurePoint(mfig, "w-hat", label, k + shift, Get(t, "w_hat", r), Get(t, "w_hat_err", r)));
                mp.Add(new FigurePoint(mfig, "ess-reverse", label, k + shift, Get(t, "ess_reverse", r), Get(t, "ess_reverse_err", r)));
                mp.Add(new FigurePoint(mfig, "ess-forward", label, k + shift, Get(t, "ess_forward", r), Get(t, "ess_forward_err", r)));
            }
        }
        var tp = TimeToError(ctx, families, hmc);
        var ft = Read(first, Phi4NisEvaluateStage.Table);
        string lattice = ft.Rows.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{Get(ft, "l", 0):F0} x {Get(ft, "t", 0):F0}, lambda = {Get(ft, "lambda", 0):G4}");
        meta["lattice"] = lattice;
        FigurePublisher.Publish(ctx, new FigureTable(ffig, $"phi^4 free energy per site by NIS vs HMC, {lattice}", [
            new FigurePanel("f", "F/V (bias-corrected; families dodged in kappa)", "kappa", "F/V", PlotKind.Scatter),
            new FigurePanel("deviation", "(F_q - F_HMC) / combined error", "kappa", "z", PlotKind.Scatter),
            new FigurePanel("errors", "standard error of F/V (same N; same wall time)", "kappa", "error", PlotKind.Scatter, LogY: true),
        ], fp.Where(q => double.IsFinite(q.Y)).ToList(), meta));
        FigurePublisher.Publish(ctx, new FigureTable(mfig, $"mode dropping across the transition, {lattice}", [
            new FigurePanel("w-hat", "mode-dropping estimator w-hat = Z_q / Z_p", "kappa", "w-hat", PlotKind.Scatter),
            new FigurePanel("ess-reverse", "reverse ESS/N (samples of q)", "kappa", "ESS/N", PlotKind.Scatter),
            new FigurePanel("ess-forward", "forward ESS/N (samples of p)", "kappa", "ESS/N", PlotKind.Scatter),
        ], mp.Where(q => double.IsFinite(q.Y)).ToList(), meta));
        if (tp.Count > 0)
            FigurePublisher.Publish(ctx, new FigureTable($"{ctx.Name}-time-to-error", $"wall time to reach a given error on F/V, NIS vs HMC, {lattice}", [
                new FigurePanel("time", "wall time (s) vs target standard error of F/V; NIS includes training", "error of F/V", "seconds", PlotKind.Line, LogX: true, LogY: true),
            ], tp, meta));
    }

    /// <summary>
    /// Wall time to reach a standard error ε on F/V at the smallest and the largest trained kappa (errors scale as
    /// 1/√N at fixed cost per sample): NIS t = t_train + t_sample (σ_q/ε)² with the measured training and sampling
    /// times of the N flow samples; HMC t = t_chain (σ_HMC/ε)², t_chain the HMC wall time of the kappa points from 0 up
    /// to kappa (the free energy is integrated along kappa from the exact F at kappa = 0, so it needs all of them).
    /// </summary>
    private static List<FigurePoint> TimeToError(StageContext ctx, List<(string Slot, string Label)> families, Dictionary<double, (double F, double Err)> hmc)
    {
        var points = new List<FigurePoint>();
        if (hmc.Count == 0) return points;
        string fig = $"{ctx.Name}-time-to-error";
        var grid = hmc.Keys.OrderBy(k => k).ToArray();
        var errors = Enumerable.Range(0, 25).Select(i => Math.Pow(10, -5.5 + i * 0.125)).ToArray();
        var hmcDone = new HashSet<double>();
        foreach (var (slot, label) in families)
        {
            var t = Read(ctx.Upstream[slot], Phi4NisEvaluateStage.Table);
            if (t.Rows.Count == 0) continue;
            var ks = Enumerable.Range(0, (int)t.Rows.Count).Select(r => Get(t, "kappa", r)).ToArray();
            foreach (long r in new[] { Array.IndexOf(ks, ks.Min()), Array.IndexOf(ks, ks.Max()) }.Distinct())
            {
                double k = ks[r];
                string kl = k.ToString("G4", CultureInfo.InvariantCulture);
                double train = Get(t, "training_seconds", r), sample = Get(t, "sampling_seconds", r), err = Get(t, "f_q_err", r);
                foreach (double e in errors)
                    points.Add(new FigurePoint(fig, "time", $"NIS {label}, kappa = {kl}", e, train + sample * (err / e) * (err / e), 0));
                if (!hmc.TryGetValue(k, out var h) || !hmcDone.Add(k)) continue;
                double chain = Get(t, "hmc_seconds", r) * grid.Count(g => g <= k);
                foreach (double e in errors)
                    points.Add(new FigurePoint(fig, "time", $"HMC, kappa = {kl}", e, chain * (h.Err / e) * (h.Err / e), 0));
            }
        }
        return points.Where(q => double.IsFinite(q.Y) && q.Y > 0).ToList();
    }

    private static void Gradients(StageContext ctx, UpstreamArtifact gradients)
    {
        var t = Read(gradients, Phi4NisGradientsStage.Table);
        string fig = $"{ctx.Name}-gradients";
        var points = new List<FigurePoint>();
        for (long r = 0; r < t.Rows.Count; r++)
        {
            bool path = Get(t, "path", r) == 1;
            double l = Get(t, "l", r);
            points.Add(new FigurePoint(fig, "ess", path ? "path gradient" : "total gradient", l, Get(t, "ess", r), Get(t, "ess_err", r)));
            if (path) points.Add(new FigurePoint(fig, "cost", "path / total - 1", l, Get(t, "extra_cost", r), 0));
        }
        var gp = gradients.Parameters<Phi4NisGradientsParameters>();
        FigurePublisher.Publish(ctx, new FigureTable(fig,
            $"reverse ESS at {gp.Steps} steps vs lattice size L x L, kappa = {gp.Kappa.ToString("G4", CultureInfo.InvariantCulture)}, lambda = {gp.Lambda.ToString("G4", CultureInfo.InvariantCulture)}", [
            new FigurePanel("ess", "reverse ESS/N at equal training steps", "L", "ESS/N", PlotKind.Line),
            new FigurePanel("cost", "extra wall time per iteration of the path gradient", "L", "fraction", PlotKind.Bar),
        ], points, FigurePublisher.Metadata(ctx, gradients)));
    }
}
