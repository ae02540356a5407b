using System.Diagnostics;
using System.Globalization;
using Boltzmann.Data.Tables;
using Boltzmann.Flows;
using Boltzmann.Learning.Models;
using Boltzmann.Learning.Symmetry;
using Boltzmann.Learning.Runtime;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Random;
using Boltzmann.Stages.Lattice.Phi4;
using Boltzmann.Stages.Nis.Training;
using Boltzmann.Targets.Lattice;
using static TorchSharp.torch;

namespace Boltzmann.Stages.Nis.Evaluation;

/// <summary>
/// Evaluates the flows of a phi4-nis-train stage (<see cref="Phi4NisEstimates"/>): F_q/V and, with HMC samples
/// of p at the same kappa, F_p/V, forward ESS and the mode-dropping ŵ; reverse ESS, neural MCMC acceptance and
/// tau_int of |m|, reweighted &lt;|m|&gt;, chi and S/V. Also the flow's sampling time for the N samples and the HMC
/// wall time per kappa point (stage wall time / grid size), so errors can be compared at equal wall time: the
/// error of F_q at the HMC time is err · sqrt(t_flow / t_HMC) (variance ∝ 1/N, Nicoli 2024 talk). Unusable weights
/// (non-finite or all zero) stop the stage with the kappa and training step (<see cref="ImportanceWeightException"/>).
/// With <c>symmetrize</c> every estimator uses q_sym = (q(φ) + q(−φ))/2 of the flow (<see cref="Z2Symmetrized"/>).
/// </summary>
public sealed class Phi4NisEvaluateStage : StageKind<Phi4NisEvaluateParameters>
{
    public const string KindName = "phi4-nis-evaluate";
    public const string Table = "nis/phi4";

    public override string Kind => KindName;
    public override int Version => 3;
    public override StagePhase Phase => StagePhase.Evaluate;
    public override string Description => "phi^4 NIS: F_q, F_p (delta-method errors, O(1/N) bias), reverse/forward ESS, mode-dropping w-hat, neural MCMC, reweighted <|m|>, chi, S/V";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("flows", [Phi4NisTrainStage.KindName]),
        new("samples", [Phi4HmcStage.KindName], Required: false),
    ];

    protected override Phi4NisEvaluateParameters Parse(ParameterReader r) => Phi4NisEvaluateParameters.Read(r);

    protected override void Validate(Phi4NisEvaluateParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var flows = UpstreamParameters<Phi4NisTrainParameters>(upstream["flows"]);
        if (upstream.TryGetValue("samples", out var samples))
            HmcCompatibility.Check(r, "samples", samples.Name, UpstreamParameters<Phi4HmcParameters>(samples), flows.L, flows.T, flows.Lambda, flows.Kappas);
    }

    protected override async Task RunAsync(StageContext ctx, Phi4NisEvaluateParameters p)
    {
        var flows = ctx.Input("flows");
        var fp = flows.Parameters<Phi4NisTrainParameters>();
        ctx.Upstream.TryGetValue("samples", out var samples);
        double hmcSecondsPerPoint = samples is null ? double.NaN : samples.Manifest.WallTimeSeconds / samples.Parameters<Phi4HmcParameters>().Kappas.Length;
        double volume = fp.L * fp.T;
        var device = TorchDevice.Resolve(ctx.Device);   // also fixes libtorch's thread count (docs/platform.md)
        var table = new TableBuilder();
        for (int i = 0; i < fp.Kappas.Length; i++)
        {
            double kappa = fp.Kappas[i];
            var header = NisFlowCheckpoint.ReadHeader(flows.PathOf(Phi4NisTrainStage.FlowPath(i)));
            using var flow = NisFlowCheckpoint.Load(flows.PathOf(Phi4NisTrainStage.FlowPath(i)), device);
            IExactSampler density = p.Symmetrize ? new Z2Symmetrized(flow) : flow;
            using var target = new Phi4Target(fp.L, fp.T, kappa, fp.Lambda, flow.Dtype, device);
            var clock = Stopwatch.StartNew();
            var (lt, lq, absM, m2) = SampleFlow(density, target, p.Samples, p.Batch, RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/samples", i));
            double sampling = clock.Elapsed.TotalSeconds;
            ImportanceWeightException.ThrowIfUnusable(ctx.Name, kappa, header.Steps, "flow", lt, lq);
            double[]? tlt = null, tlq = null;
            int hmcCount = 0;
            if (samples is not null)
            {
                var rows = await HmcConfigurations.ReadAsync(samples, kappa, p.AugmentZ2, ctx.Cancellation, p.HoldOut ? HmcSplit.HeldOut : HmcSplit.All);
                (tlt, tlq) = Evaluate(density, flow, target, rows, p.Batch);
                hmcCount = tlq.Length / (p.AugmentZ2 ? 2 : 1);
                ImportanceWeightException.ThrowIfUnusable(ctx.Name, kappa, header.Steps, "HMC", tlt, tlq);
            }
            var e = Phi4NisEstimates.Compute(lt, lq, absM, m2, volume, tlt, tlq, ctx.Stream("nmcmc", i));
            table.Set("kappa", kappa).Set("lambda", fp.Lambda).Set("l", fp.L).Set("t", fp.T).Set("samples", p.Samples).Set("training_steps", header.Steps)
                 .Set("f_q", e.Fq.BiasCorrected).Set("f_q_err", e.Fq.StdError).Set("f_q_bias", e.Fq.Bias)
                 .Set("f_p", e.Fp?.BiasCorrected ?? double.NaN).Set("f_p_err", e.Fp?.StdError ?? double.NaN).Set("f_p_bias", e.Fp?.Bias ?? double.NaN)
                 .Set("ess_reverse", e.EssReverse.Mean).Set("ess_reverse_err", e.EssReverse.StdError)
                 .Set("ess_forward", e.EssForward?.Mean ?? double.NaN).Set("ess_forward_err", e.EssForward?.StdError ?? double.NaN)
                 .Set("w_hat", e.WHat?.Mean ?? double.NaN).Set("w_hat_err", e.WHat?.StdError ?? double.NaN)
                 .Set("nmcmc_acceptance", e.NmcmcAcceptance.Mean).Set("nmcmc_acceptance_err", e.NmcmcAcceptance.StdError)
                 .Set("nmcmc_tau_int_abs_m", e.NmcmcAbsM.TauInt).Set("nmcmc_tau_int_abs_m_err", e.NmcmcAbsM.TauIntError)
                 .Set("abs_m", e.AbsM.Mean).Set("abs_m_err", e.AbsM.StdError).Set("chi", e.Chi.Mean).Set("chi_err", e.Chi.StdError)
                 .Set("action_density", e.ActionDensity.Mean).Set("action_density_err", e.ActionDensity.StdError)
                 .Set("hmc_samples", hmcCount).Set("sampling_seconds", sampling).Set("training_seconds", header.TrainingSeconds)
                 .Set("hmc_seconds", hmcSecondsPerPoint)
                 .Set("f_q_err_at_hmc_time", e.Fq.StdError * Math.Sqrt(sampling / hmcSecondsPerPoint))
                 .Set("symmetrized", p.Symmetrize ? 1 : 0)
                 .EndRow();
            ctx.Log.Info(string.Create(CultureInfo.InvariantCulture,
                $"{ctx.Name}: kappa = {kappa:G6}: F_q/V = {e.Fq.BiasCorrected:F6} ± {e.Fq.StdError:E2}, F_p/V = {e.Fp?.BiasCorrected:F6}, ESS_rev = {e.EssReverse.Mean:F3}, ESS_fwd = {e.EssForward?.Mean:F3}, w-hat = {e.WHat?.Mean:F3}"));
        }
        ctx.WriteTable(Table, table);
    }

    /// <summary>N samples of q in batches, with ln p~, ln q, |m| and m² per sample (float64 on the host).</summary>
    private static (double[] LogTarget, double[] LogQ, double[] AbsM, double[] M2) SampleFlow(IExactSampler flow, Phi4Target target, int n, int batch, ulong seed)
    {
        var lt = new double[n];
        var lq = new double[n];
        var am = new double[n];
        var m2 = new double[n];
        using var generator = new Generator(seed, target.Device);
        using var _ = no_grad();
        for (int o = 0; o < n; o += batch)
        {
            int b = Math.Min(batch, n - o);
            using var scope = NewDisposeScope();
            var (x, logQ) = flow.Sample(b, generator);
            var m = Phi4Target.Magnetisation(x).to_type(ScalarType.Float64);
            target.LogProb(x).to(ScalarType.Float64, CPU).data<double>().CopyTo(lt.AsSpan(o, b));
            logQ.to(ScalarType.Float64, CPU).data<double>().CopyTo(lq.AsSpan(o, b));
            m.abs().data<double>().CopyTo(am.AsSpan(o, b));
            m.square().data<double>().CopyTo(m2.AsSpan(o, b));
        }
        return (lt, lq, am, m2);
    }

    /// <summary>ln p~ and ln q of stored configurations (rows of L*T values).</summary>
    private static (double[] LogTarget, double[] LogQ) Evaluate(IExactSampler density, NormalizingFlow flow, Phi4Target target, double[] rows, int batch)
    {
        var shape = flow.EventShape;
        int d = flow.Dimension, n = rows.Length / d;
        var lt = new double[n];
        var lq = new double[n];
        using var _ = no_grad();
        for (int o = 0; o < n; o += batch)
        {
            int b = Math.Min(batch, n - o);
            using var scope = NewDisposeScope();
            var x = tensor(rows.AsSpan(o * d, b * d).ToArray(), [b, shape[0], shape[1]], ScalarType.Float64).to(flow.Dtype, flow.Device);
            target.LogProb(x).to(ScalarType.Float64, CPU).data<double>().CopyTo(lt.AsSpan(o, b));
            density.LogProb(x).to(ScalarType.Float64, CPU).data<double>().CopyTo(lq.AsSpan(o, b));
        }
        return (lt, lq);
    }
}
