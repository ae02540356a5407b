using System.Globalization;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Autoregressive.Models;
using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Training;
using Boltzmann.Physics.Sk;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Instances;
using Boltzmann.Stages.Sk.Pt;
using Boltzmann.Data.Tables;
using static TorchSharp.torch;

namespace Boltzmann.Stages.Arnn.Likelihood;

/// <summary>
/// Max-likelihood training of an SK network with a learned first layer on Metropolis samples (Biazzo 2023, Fig. 6 and
/// SI section IV): the samples of one instance at one temperature come from an <c>sk-pt</c> stage (a one-temperature
/// ladder is plain Metropolis; thin = 200 sweeps is the paper's 200 N spin-flip attempts between samples); the network
/// (SK_1RSB by default) starts from small random first-layer couplings W and minimises the mean negative
/// log-likelihood (SI eq. 48) with Adam through the shared <see cref="Trainer"/> (checkpoints in the scratch
/// directory, so a killed run resumes bit-identically). Outputs: the learned W_ij next to J_ij for every pair i &lt; j,
/// the Pearson and Spearman correlation of |W| with |J| (and of W with J) with jackknife errors and the least-squares
/// line, before and after training, the loss curve with the held-out NLL, the final model and a summary.
/// </summary>
public sealed class ArnnLikelihoodStage : StageKind<ArnnLikelihoodParameters>
{
    public const string KindName = "arnn-likelihood";
    public const string Folder = "likelihood";
    public const string Weights = Folder + "/weights";
    public const string Correlation = Folder + "/correlation";
    public const string Loss = Folder + "/loss";
    public const string SummaryFile = Folder + "/summary.json";
    public const string ModelFile = Folder + "/model.bin";
    public const string CorrelationDiagnostic = "pearson_abs";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Train;
    public override string Description => "max-likelihood training of SK_RS/SK_kRSB with a learned first layer on Metropolis samples; learned weights vs couplings (Biazzo Fig. 6)";

    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("instances", [SkInstancesStage.KindName], Description: "the SK instance whose couplings the first layer should recover"),
        new("samples", [SkParallelTemperingStage.KindName], Description: "Metropolis/PT samples of those instances"),
    ];

    protected override ArnnLikelihoodParameters Parse(ParameterReader r)
    {
        string architecture = r.String("architecture", "SK_1RSB");
        try
        {
            var a = AutoregressiveArchitecture.Parse(architecture);
            if (a.Kind is not (ArchitectureKind.SkRs or ArchitectureKind.SkKRsb))
                r.Error("architecture", $"value \"{architecture}\" is not allowed; must be an SK network with a first layer of couplings: SK_RS or SK_kRSB (e.g. SK_1RSB)");
            else architecture = a.Name;
        }
        catch (FormatException e)
        {
            r.Error("architecture", $"value \"{architecture}\" is not allowed; {e.Message}");
        }
        double beta = r.Double("beta", greaterThan: 0);
        int instance = r.Int("instance", 0, min: 0);
        int steps = r.Int("steps", 2000, min: 1);
        int batch = r.Int("batch", 1000, min: 1);
        double lr = r.Double("learning_rate", 0.01, greaterThan: 0);
        double initScale = r.Double("init_scale", 0.01, greaterThan: 0);
        double holdout = r.Double("holdout", 0.1, greaterThan: 0, max: 0.9);
        int logInterval = r.Int("log_interval", Math.Max(1, steps / 50), min: 1);
        int checkpointInterval = r.Int("checkpoint_interval", 500, min: 1);
        string dtype = r.String("dtype", "float64", ["float64"]);
        return new ArnnLikelihoodParameters(architecture, beta, instance, steps, batch, lr, initScale, holdout, logInterval, checkpointInterval, dtype);
    }

    protected override void Validate(ArnnLikelihoodParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var samples = upstream["samples"];
        var instances = upstream["instances"];
        if (samples.Upstream.TryGetValue("instances", out var sampled) && sampled != instances.Name)
            r.Error("beta", $"upstream \"{samples.Name}\" samples instances \"{sampled}\", but the instances input is \"{instances.Name}\"; they must be the same stage");
        var inst = UpstreamParameters<SkInstancesParameters>(instances);
        if (p.Instance >= inst.Count)
            r.Error("instance", $"value {p.Instance} is not allowed; upstream \"{instances.Name}\" has {inst.Count} instance(s), so must be < {inst.Count}");
        var pt = UpstreamParameters<SkPtParameters>(samples);
        double[] temperatures;
        try { temperatures = pt.Ladder.ToLadder().Temperatures.ToArray(); }
        catch (ArgumentException) { return; } // reported by the samples stage itself
        if (!temperatures.Any(t => Math.Abs(1 / t - p.Beta) <= LikelihoodSamples.BetaTolerance * p.Beta))
            r.Error("beta", $"value {F(p.Beta)} does not match the samples: upstream \"{samples.Name}\" samples at T = " +
                            $"{string.Join(", ", temperatures.Select(F))} (beta = {string.Join(", ", temperatures.Select(t => F(1 / t)))}); " +
                            "the network's beta must be the temperature the samples were drawn at");
        int perChainTraining = pt.Samples - LikelihoodSamples.HoldoutPerChain(pt.Samples, p.Holdout);
        long training = (long)perChainTraining * pt.Chains;
        if (perChainTraining < 1)
            r.Error("holdout", $"value {F(p.Holdout)} leaves no training samples of the {pt.Samples} per chain of upstream \"{samples.Name}\"");
        else if (p.Batch > training)
            r.Error("batch", $"value {p.Batch} is larger than the data: {training} training configurations ({pt.Chains} chain(s) x {perChainTraining} after holding out {F(p.Holdout)}) of upstream \"{samples.Name}\"; must be <= {training}");
    }

    protected override async Task RunAsync(StageContext ctx, ArnnLikelihoodParameters p)
    {
        var device = TorchDevice.Resolve(ctx.Device);
        var instances = ctx.Input("instances");
        var entries = SkInstanceStore.Entries(instances);
        if (p.Instance >= entries.Count) throw new StageInputException($"{ctx.Name}: instance {p.Instance} is not in upstream \"{instances.Stage.Name}\" ({entries.Count} instances)");
        var instance = SkInstanceStore.Load(instances, entries[p.Instance]);
        var data = await LikelihoodSamples.ReadAsync(ctx.Input("samples"), p.Instance, p.Beta, p.Holdout, ctx.Cancellation);
        if (data.N != instance.N) throw new StageInputException($"{ctx.Name}: the samples have N = {data.N}, instance {p.Instance} has N = {instance.N}");
        int n = instance.N;
        ctx.Log.Info($"{ctx.Name}: {p.Architecture} on N = {n}, beta = {F(p.Beta)}: {data.TrainingCount} training and {data.HoldoutCount} held-out configurations from {data.Chains} chain(s)");

        var architecture = AutoregressiveArchitecture.Parse(p.Architecture);
        var initSeed = ctx.Stream("init").NextUInt64();
        var shuffleSeed = ctx.Stream("shuffle").NextUInt64();
        using var init = new Generator(initSeed, CPU);
        using SkReplicaNetwork model = architecture.Kind == ArchitectureKind.SkRs
            ? new SkRs(instance, p.Beta, device, init, LearnedCouplings.SmallRandom(p.InitScale))
            : new SkKRsb(instance, p.Beta, architecture.K, device, init, LearnedCouplings.SmallRandom(p.InitScale));
        var j = instance.Couplings.ToArray();
        var initialWeights = model.FirstLayer.WeightsArray();
        var initialRecovery = CouplingRecovery.Compare(initialWeights, j, n);

        using var scope = NewDisposeScope();
        var training = SpinTensors.FromRows(data.Training, n, device);
        var holdout = SpinTensors.FromRows(data.Holdout, n, device);
        var options = new MaximumLikelihoodOptions
        {
            BatchSize = p.Batch,
            ShuffleSeed = shuffleSeed,
            Training = new TrainingOptions
            {
                Steps = p.Steps,
                LearningRate = p.LearningRate,
                LogInterval = p.LogInterval,
                CheckpointInterval = p.CheckpointInterval,
                Device = device,
                DType = ScalarType.Float64,
            },
        };
        using var trainer = new MaximumLikelihoodTrainer(model, training, holdout, options, Path.Combine(ctx.ScratchDirectory, "trainer"))
        {
            Diagnostics = () => [(CorrelationDiagnostic, CouplingRecovery.Compare(model.FirstLayer.WeightsArray(), j, n).PearsonAbs.Mean)],
        };
        double initialHoldoutNll = trainer.PerConfigurationNll(holdout).Average();
        var resume = trainer.Resume();
        foreach (var skipped in resume.Skipped) ctx.Log.Warn($"{ctx.Name}: {skipped}");
        if (resume.Checkpoint is not null) ctx.Log.Info($"{ctx.Name}: resuming at step {resume.CompletedSteps} of {p.Steps}");

        using var progress = ctx.Progress.Start($"{ctx.Name}: max-likelihood {p.Architecture} (N={n}, M={data.TrainingCount})", p.Steps, "steps");
        progress.SetValue(resume.CompletedSteps);
        var result = trainer.Run((done, _) => progress.SetValue(done), ctx.Cancellation);

        var weights = model.FirstLayer.WeightsArray();
        var recovery = CouplingRecovery.Compare(weights, j, n);
        ctx.Log.Info($"{ctx.Name}: r(|W|, |J|) = {recovery.PearsonAbs} (untrained {initialRecovery.PearsonAbs}); held-out NLL {result.HoldoutNll}");
        WriteTables(ctx, n, j, weights, initialWeights, initialRecovery, recovery, result.Training.Log);
        ctx.OutputPath(ModelFile);
        model.save(Path.Combine(ctx.WorkDirectory, ModelFile));
        double seconds = result.Training.Elapsed.TotalSeconds;
        ctx.WriteJson(SummaryFile, new LikelihoodSummary(
            p.Architecture, n, p.Beta, p.Instance, data.Chains, data.TrainingCount, data.HoldoutCount, result.Training.CompletedSteps,
            (double)result.Training.CompletedSteps * p.Batch / data.TrainingCount,
            model.TrainableParameterCount, model.FixedParameterCount, SkReplicaNetwork.TrainableParameterCountFormula(n, model.K, true),
            result.TrainingNll, result.HoldoutNll, initialHoldoutNll,
            recovery.PearsonAbs, recovery.SpearmanAbs, recovery.PearsonSigned, recovery.Slope, recovery.Intercept,
            initialRecovery.PearsonAbs, seconds));
        ctx.Extra["pearson_abs"] = recovery.PearsonAbs.Mean.ToString("G6", CultureInfo.InvariantCulture);
        ctx.Extra["training_steps_per_second"] = (result.Training.StepsThisRun / Math.Max(seconds, 1e-9)).ToString("G4", CultureInfo.InvariantCulture);
    }

    private static void WriteTables(StageContext ctx, int n, double[] j, double[] weights, double[] initial,
                                    CouplingRecoveryResult before, CouplingRecoveryResult after, LossLog log)
    {
        var w = new TableBuilder();
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++)
            {
                double jab = j[a * n + b], wab = weights[a * n + b];
                w.Set("i", a).Set("j", b).Set("coupling", jab).Set("weight", wab)
                 .Set("abs_coupling", Math.Abs(jab)).Set("abs_weight", Math.Abs(wab)).Set("initial_weight", initial[a * n + b]).EndRow();
            }
        ctx.WriteTable(Weights, w);

        var c = new TableBuilder();
        foreach (var (trained, r) in new[] { (0, before), (1, after) })
        {
            c.Set("trained", trained).Set("pairs", r.Pairs);
            foreach (var (name, e) in new[] { ("pearson_abs", r.PearsonAbs), ("spearman_abs", r.SpearmanAbs), ("pearson_signed", r.PearsonSigned), ("slope", r.Slope), ("intercept", r.Intercept) })
                c.Set(name, e.Mean).Set(name + "_err", e.StdError);
            c.EndRow();
        }
        ctx.WriteTable(Correlation, c);

        var cols = log.ToColumns();
        var l = new TableBuilder();
        for (int k = 0; k < cols.Step.Length; k++)
        {
            l.Set("step", cols.Step[k]).Set("loss", cols.Loss[k]).Set("loss_per_spin", cols.Loss[k] / n)
             .Set("holdout_nll", cols.Extras[MaximumLikelihoodTrainer.HoldoutNllColumn][k])
             .Set("holdout_nll_err", cols.Extras[MaximumLikelihoodTrainer.HoldoutNllErrorColumn][k])
             .Set(CorrelationDiagnostic, cols.Extras[CorrelationDiagnostic][k])
             .Set("gradient_norm", cols.GradientNorm[k]).Set("learning_rate", cols.LearningRate[k]).EndRow();
        }
        ctx.WriteTable(Loss, l);
    }

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
