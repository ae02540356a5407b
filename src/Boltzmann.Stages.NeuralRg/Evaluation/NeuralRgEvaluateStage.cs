using System.Globalization;
using System.Text.Json;
using Boltzmann.Data.Tables;
using Boltzmann.Estimators;
using Boltzmann.Flows;
using Boltzmann.Flows.Hierarchical;
using Boltzmann.Learning.Models;
using Boltzmann.Learning.Persistence;
using Boltzmann.Learning.Sampling;
using Boltzmann.Learning.Symmetry;
using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Random;
using Boltzmann.Stages.NeuralRg.Training;
using Boltzmann.Statistics;
using Boltzmann.Targets.Relaxation;
using static TorchSharp.torch;

namespace Boltzmann.Stages.NeuralRg.Evaluation;

/// <summary>
/// <c>neuralrg-evaluate</c>: the estimators of Li &amp; Wang 2018 for every trained model, against the exact finite
/// lattice solution. Tables:
/// <c>lnz</c> (per L and architecture: exact ln Z_x, the variational bound −loss, the NIS ln Z_x with delta-method error
/// and bias, its deviation in sigma, both ESS);
/// <c>hmc-alongside/L{L}-mera</c> (MERA models only: HMC on persistent chains run on the training snapshots in turn: latent space
/// with the effective energy of eq. 6 vs physical space with eq. 7, same eps, leapfrog count and trajectories; the
/// chain-averaged structure factor after every trajectory, Fig. 3b);
/// <c>hmc</c> (the final MERA flow: structure factor &lt;m^2&gt; and energy per site with Gamma-method errors and tau_int,
/// latent vs physical, against the exact values from the transfer matrix, L ≤ 10);
/// <c>response/L{L}</c> and <c>mi/L{L}</c> (Fig. 4: response maps of the four top-level latents; KSG mutual information
/// between all pairs of latent and of physical variables) for the MERA of interpret_size.
/// </summary>
public sealed class NeuralRgEvaluateStage : StageKind<NeuralRgEvaluateParameters>
{
    public const string KindName = "neuralrg-evaluate";
    public const string LnZTable = "lnz";
    public const string HmcTable = "hmc";

    public override string Kind => KindName;
    public override int Version => 3;
    public override StagePhase Phase => StagePhase.Evaluate;
    public override string Description => "NeuralRG: variational and NIS ln Z_x vs exact; latent vs physical HMC (structure factor, tau_int); response maps and MI";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("models", [NeuralRgTrainStage.KindName], Description: "the trained NeuralRG flows")];

    protected override NeuralRgEvaluateParameters Parse(ParameterReader r)
    {
        int? interpret = r.Has("interpret_size") ? r.Int("interpret_size", min: 0, max: 4096) : null;
        r.Accept("interpret_size");
        return new NeuralRgEvaluateParameters(
            r.Int("nis_samples", 20_000, min: 100, max: 10_000_000),
            r.Int("chains", 64, min: 2, max: 1 << 14),
            r.Double("step_size", 0.2, greaterThan: 0),
            r.Int("leapfrog_steps", 10, min: 1, max: 10_000),
            r.Int("trajectories_per_snapshot", 10, min: 1, max: 1_000_000),
            r.Int("burn_in", 100, min: 0, max: 10_000_000),
            r.Int("trajectories", 500, min: 10, max: 10_000_000),
            interpret,
            r.Int("mi_samples", 400, min: 20, max: 100_000),
            r.Int("response_samples", 1000, min: 1, max: 1_000_000),
            r.Double("burn_in_tau", TauBasedBurnIn.DefaultMultiple, min: 0, max: 1000),
            r.Int("nis_batches", NisReliability.DefaultBatches, min: 2, max: 1000));
    }

    protected override void Validate(NeuralRgEvaluateParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var train = UpstreamParameters<NeuralRgTrainParameters>(upstream["models"]);
        if (p.InterpretSize is int size && size != 0 && !train.Sizes.Contains(size))
            r.Error("interpret_size", $"value {size} is not allowed; upstream \"{upstream["models"].Name}\" trains L = {string.Join(", ", train.Sizes)} (or 0 for none)");
    }

    protected override Task RunAsync(StageContext ctx, NeuralRgEvaluateParameters p)
    {
        // One libtorch intra-op thread (or $BOLTZMANN_TORCH_THREADS): with libtorch's default pool the small-tensor steps
        // of this flow spin-wait and cost ~20x the CPU time on a shared 2-core machine (measured, docs/neuralrg.md).
        Boltzmann.Learning.Runtime.TorchThreads.EnsureConfigured();
        var input = ctx.Input("models");
        var models = JsonSerializer.Deserialize<List<TrainedModel>>(File.ReadAllText(input.PathOf(TrainedModel.IndexFile)), JsonDefaults.Indented)
                     ?? throw new StageInputException($"{ctx.Name}: {TrainedModel.IndexFile} of \"{input.Stage.Name}\" is empty");
        var lnz = new TableBuilder();
        var hmc = new TableBuilder();
        int interpret = p.InterpretSize ?? models.Max(m => m.L);
        foreach (var model in models)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            Evaluate(ctx, p, input, model, lnz, hmc, interpret == model.L && model.Architecture == "mera" && model.Variant is null);
        }
        ctx.WriteTable(LnZTable, lnz, new Dictionary<string, string> { ["convention"] = "ln Z_x of pi(x) = exp(-x^T (K + alpha I)^-1 x / 2) prod cosh x_i, Lebesgue measure" });
        ctx.WriteTable(HmcTable, hmc, new Dictionary<string, string> { ["tau_int"] = "Sokal convention 1/2 + sum rho, in trajectories, Gamma method with automatic window" });
        return Task.CompletedTask;
    }

    private static NormalizingFlow Load(UpstreamArtifact input, string relative) =>
        ModuleCheckpoint.Load<NeuralRgOptions, NormalizingFlow>(input.PathOf(relative), o => NeuralRgFlow.Create(o));

    private static void Evaluate(StageContext ctx, NeuralRgEvaluateParameters p, UpstreamArtifact input, TrainedModel model,
                                 TableBuilder lnz, TableBuilder hmcTable, bool interpret)
    {
        string key = model.Key;
        var field = new IsingDualField(model.L, model.Beta);
        using var flow = Load(input, model.Checkpoint);
        var dtype = flow.Dtype;
        using var target = new IsingDualFieldTarget(field, dtype);
        IExactSampler density = model.Symmetrize ? new Z2Symmetrized(flow) : flow;

        // Free energies of the final flow.
        double exactLnZ = field.ExactLnZx();
        var (logTarget, logQ) = NeuralRgEstimates.Sample(density, target, p.NisSamples, RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/nis/{key}"));
        var loss = VariationalFreeEnergy.ReverseLoss(logTarget, logQ);
        var diagnostics = NisReliability.Evaluate(logTarget, logQ, p.NisBatches);
        var nis = diagnostics.Full;
        double sigma = nis.StdError > 0 ? (nis.BiasCorrected - exactLnZ) / nis.StdError : double.NaN;
        double sigmaConservative = diagnostics.ConservativeError > 0 ? diagnostics.Deviation(exactLnZ) : double.NaN;
        lnz.Set("l", model.L).Set("architecture_tebd", model.Architecture == "tebd" ? 1 : 0)
           .Set("symmetrize", model.Symmetrize ? 1 : 0).Set("z2_comparison", model.Variant is null ? 0 : 1)
           .Set("exact_lnz", exactLnZ).Set("variational_lnz", -loss.Mean).Set("variational_lnz_err", loss.StdError)
           .Set("relative_error_f", (loss.Mean + exactLnZ) / Math.Abs(exactLnZ))
           .Set("nis_lnz", nis.BiasCorrected).Set("nis_lnz_err", nis.StdError).Set("nis_bias", nis.Bias).Set("nis_sigma", sigma)
           .Set("ess_reverse", nis.EssFraction).Set("ess_samples", diagnostics.EffectiveSamples).Set("nis_reliable", diagnostics.Reliable ? 1 : 0)
           .Set("nis_batch_lnz", diagnostics.BatchMean).Set("nis_batch_err", diagnostics.BatchError).Set("nis_drift", diagnostics.Drift)
           .Set("nis_lnz_err_conservative", diagnostics.ConservativeError).Set("nis_sigma_conservative", sigmaConservative)
           .Set("samples", p.NisSamples).EndRow();
        ctx.Log.Info($"{ctx.Name}: {key}: ln Z_x exact {exactLnZ:F5}, variational {-loss.Mean:F5} +- {loss.StdError:F5}, NIS {nis.BiasCorrected:F5} +- {nis.StdError:F5} ({sigma:F2} sigma; conservative +- {diagnostics.ConservativeError:F5}, {sigmaConservative:F2} sigma), ESS/N {nis.EssFraction:F3}, ESS {diagnostics.EffectiveSamples:F0}");
        if (!diagnostics.Reliable)
            ctx.Log.Warn($"{ctx.Name}: {key}: NIS rests on ESS = {diagnostics.EffectiveSamples:F0} effective samples (< {NisReliability.DefaultMinimumEffectiveSamples:F0}): its delta-method error is not reliable; quote the conservative error {diagnostics.ConservativeError:F4}");

        // HMC (Fig. 3b and the tau_int comparison) runs on the main MERA models; the TEBD reference and the Z2 comparison
        // enter Fig. 3a and the ln Z table.
        if (model.Architecture != "mera" || model.Variant is not null) return;
        var options = new TensorHmcOptions(p.StepSize, p.LeapfrogSteps);
        var (m2Exact, eExact) = ExactObservables(model.L, model.Beta);
        // Latent chains start from the prior (z ~ N(0, 1)); physical chains from a hot start x ~ N(0, 1): the paper's Fig. 3b setting.
        Tensor latent, physical;
        using (var g = new Generator(RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/hmc-start/{key}"), CPU))
        {
            latent = randn([p.Chains, model.L, model.L], dtype, generator: g);
            physical = randn([p.Chains, model.L, model.L], dtype, generator: g);
        }
        try
        {
            // HMC alongside training: the snapshots in epoch order, trajectories_per_snapshot each, on persistent chains.
            var alongside = new TableBuilder();
            long step = 0;
            for (int s = 0; s < model.SnapshotEpochs.Length; s++)
            {
                long epoch = model.SnapshotEpochs[s];
                using var snapshot = Load(input, $"{model.SnapshotDirectory}/epoch-{epoch}.ckpt");
                ulong seed = RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/alongside/{key}", s);
                var lat = DualFieldHmc.Run(target, snapshot, ref latent, options, p.TrajectoriesPerSnapshot, seed, cancellationToken: ctx.Cancellation);
                var phys = DualFieldHmc.Run(target, null, ref physical, options, p.TrajectoriesPerSnapshot, seed + 1, cancellationToken: ctx.Cancellation);
                for (int t = 0; t < p.TrajectoriesPerSnapshot; t++)
                {
                    step++;
                    var (lm, le) = ChainMean(lat.MagnetizationSquared, t);
                    var (pm, pe) = ChainMean(phys.MagnetizationSquared, t);
                    alongside.Set("hmc_step", step).Set("epoch", epoch).Set("latent_m2", lm).Set("latent_m2_err", le)
                             .Set("physical_m2", pm).Set("physical_m2_err", pe).Set("exact_m2", m2Exact).EndRow();
                }
            }
            ctx.WriteTableIfAny($"hmc-alongside/{key}", alongside);

            // Final comparison with the trained flow: burn-in, then trajectories with tau_int.
            var samples = interpret ? new List<double[]>() : null;
            int collectEvery = Math.Max(1, p.Chains * p.Trajectories / Math.Max(p.MiSamples, p.ResponseSamples));
            // The burn-in is at least burn_in_tau x tau_int of the structure factor (TauBasedBurnIn), per space.
            int latentRuns = 0, physicalRuns = 0;
            var (finalLatent, latentBurnIn) = TauBasedBurnIn.Run(n => DualFieldHmc.Run(target, flow, ref latent, options, n,
                RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/final-latent/{key}", latentRuns++),
                samples is null || latentRuns > 1 ? null : (t, x) =>
                {
                    if (t >= p.BurnIn && (t - p.BurnIn) % Math.Max(1, collectEvery / p.Chains) == 0)
                        samples.Add(x.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray());
                }, ctx.Cancellation), p.BurnIn, p.Trajectories, p.BurnInTau);
            var (finalPhysical, physicalBurnIn) = TauBasedBurnIn.Run(n => DualFieldHmc.Run(target, null, ref physical, options, n,
                RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/final-physical/{key}", physicalRuns++), cancellationToken: ctx.Cancellation),
                p.BurnIn, p.Trajectories, p.BurnInTau);
            foreach (var (name, series, burnIn) in new[] { ("latent", finalLatent, latentBurnIn), ("physical", finalPhysical, physicalBurnIn) })
            {
                var m2 = IndependentChains.Mean(series.MagnetizationSquared);
                var e = IndependentChains.Mean(series.EnergyPerSite);
                hmcTable.Set("l", model.L).Set("architecture_tebd", model.Architecture == "tebd" ? 1 : 0).Set("latent", name == "latent" ? 1 : 0)
                        .Set("m2", m2.Mean).Set("m2_err", m2.StdError).Set("m2_tau", m2.TauInt).Set("m2_tau_err", m2.TauIntError)
                        .Set("exact_m2", m2Exact).Set("m2_sigma", (m2.Mean - m2Exact) / m2.StdError)
                        .Set("energy", e.Mean).Set("energy_err", e.StdError).Set("energy_tau", e.TauInt).Set("energy_tau_err", e.TauIntError)
                        .Set("exact_energy", eExact).Set("energy_sigma", (e.Mean - eExact) / e.StdError)
                        .Set("acceptance", series.AcceptanceRate).Set("chains", series.Chains).Set("trajectories", series.Trajectories)
                        .Set("burn_in", burnIn).EndRow();
                ctx.Log.Info($"{ctx.Name}: {key}: {name} HMC <m^2> {m2} (exact {m2Exact:F5}), E/N {e} (exact {eExact:F5}), acceptance {series.AcceptanceRate:F3}, burn-in {burnIn}");
            }
            if (samples is not null) Interpret(ctx, p, model, flow, samples, dtype);
        }
        finally
        {
            latent.Dispose();
            physical.Dispose();
        }
    }

    private static (double Mean, double Error) ChainMean(double[][] chains, int t)
    {
        double mean = chains.Average(c => c[t]);
        double variance = chains.Sum(c => (c[t] - mean) * (c[t] - mean)) / Math.Max(1, chains.Length - 1);
        return (mean, Math.Sqrt(variance / chains.Length));
    }

    /// <summary>Exact &lt;m^2&gt; (transfer matrix, L ≤ 10; NaN above) and E/N (Kaufman) of the periodic L x L Ising model.</summary>
    public static (double MagnetizationSquared, double EnergyPerSite) ExactObservables(int l, double beta) =>
        l <= IsingTransferMatrix.MaxRowLength && l <= 8
            ? (IsingTransferMatrix.Evaluate(l, beta).MeanMagnetizationSquared, IsingExact.EnergyPerSite(l, beta))
            : (double.NaN, IsingExact.EnergyPerSite(l, beta));

    private static void Interpret(StageContext ctx, NeuralRgEvaluateParameters p, TrainedModel model, NormalizingFlow flow, List<double[]> samples, ScalarType dtype)
    {
        int l = model.L, n = l * l;
        var all = samples.SelectMany(a => a).ToArray();
        int count = all.Length / n;
        using var scope = NewDisposeScope();
        var x = tensor(all, [count, l, l], ScalarType.Float64).to_type(dtype);
        using var g = new Generator(RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/eta/{l}"), CPU);
        var flipped = ResponseMaps.InferSigns(flow, x, model.Symmetrize, g);
        int scales = NeuralRgOptionsScales(flow, l);
        var sites = ResponseMaps.TopLevelSites(scales);
        int responseCount = Math.Min(count, p.ResponseSamples);
        var maps = ResponseMaps.Compute(flow, flipped.narrow(0, 0, responseCount), sites);
        var response = new TableBuilder();
        for (int k = 0; k < sites.Length; k++)
            for (int i = 0; i < n; i++)
                response.Set("latent", k).Set("latent_row", sites[k].Row).Set("latent_col", sites[k].Col)
                        .Set("row", i / l).Set("col", i % l).Set("response", maps[k][i]).EndRow();
        ctx.WriteTable($"response/L{l}", response);

        int miCount = Math.Min(count, p.MiSamples);
        double[] z;
        using (no_grad()) z = flow.Inverse(flipped.narrow(0, 0, miCount)).Z.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        var physical = all.AsSpan(0, miCount * n).ToArray();
        var mi = new TableBuilder();
        foreach (var (space, values) in new[] { ("latent", z), ("physical", physical) })
        {
            var matrix = MutualInformationMatrix.Compute(values, miCount, n, cancellationToken: ctx.Cancellation);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    mi.Set("latent", space == "latent" ? 1 : 0).Set("i", i).Set("j", j).Set("mi", matrix[i * n + j]).EndRow();
        }
        ctx.WriteTable($"mi/L{l}", mi, new Dictionary<string, string> { ["estimator"] = $"KSG (Kraskov et al. 2004, estimator 1), k = {KsgMutualInformation.DefaultK}, {miCount} samples, nats" });
        ctx.Log.Info($"{ctx.Name}: L{l}: response maps from {responseCount} samples, MI from {miCount} samples");
    }

    /// <summary>The number of scales of a loaded MERA: its layer count / 2.</summary>
    private static int NeuralRgOptionsScales(NormalizingFlow flow, int l) => Math.Min(flow.LayerCount / 2, System.Numerics.BitOperations.Log2((uint)l));
}
