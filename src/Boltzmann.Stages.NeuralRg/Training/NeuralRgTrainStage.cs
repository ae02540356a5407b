using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Boltzmann.Data.Tables;
using Boltzmann.Flows.Hierarchical;
using Boltzmann.Learning.Persistence;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Physics.Exact;
using Boltzmann.Random;

namespace Boltzmann.Stages.NeuralRg.Training;

/// <summary>
/// <c>neuralrg-train</c>: NeuralRG flows (Li &amp; Wang 2018, arXiv:1802.02840) trained by probability density
/// distillation (reverse KL, eqs. 3-5) on the dual Ising field (eq. 7), one per (L, architecture): the MERA-like
/// hierarchy and the TEBD-like reference. Outputs per model <c>flows/L{L}-{arch}.ckpt</c> (ModuleCheckpoint with
/// its <see cref="NeuralRgOptions"/>), weight snapshots <c>snapshots/L{L}-{arch}/epoch-E.ckpt</c> every
/// snapshot_interval epochs (the HMC alongside training runs on them), the loss table <c>loss/L{L}-{arch}</c>
/// (epoch, loss = variational −ln Z_x, loss_err, ess_fraction, exact −ln Z_x, relative_error) and the index
/// <c>models.json</c>. Trainer checkpoints in scratch make a killed run resume bit-identically.
/// </summary>
public sealed class NeuralRgTrainStage : StageKind<NeuralRgTrainParameters>
{
    public const string KindName = "neuralrg-train";

    public override string Kind => KindName;
    public override int Version => 3;
    public override StagePhase Phase => StagePhase.Train;
    public override string Description => "NeuralRG flows (MERA and TEBD reference) on the dual 2D Ising field by reverse KL (Li & Wang)";

    protected override NeuralRgTrainParameters Parse(ParameterReader r)
    {
        var sizeList = r.OptionalDoubleList("sizes", min: 2);
        if (sizeList is null && !r.Has("sizes")) r.Error("sizes", "required key is missing; give the list of linear sizes L (powers of two)");
        var sizes = new List<int>();
        if (sizeList is not null)
            for (int i = 0; i < sizeList.Length; i++)
            {
                double v = sizeList[i];
                if (v != Math.Floor(v) || v > 1 << 12 || ((int)v & ((int)v - 1)) != 0)
                    r.Error($"sizes[{i}]", $"value {v} is not allowed; the MERA needs L to be a power of two between 2 and 4096 (2 x 2 blocks at every scale)");
                else sizes.Add((int)v);
            }
        if (sizes.Distinct().Count() != sizes.Count) r.Error("sizes", "the list contains duplicate sizes");
        double beta = r.Double("beta", IsingExact.CriticalBeta, greaterThan: 0);
        string[] architectures = r.Bool("tebd_reference", true) ? ["mera", "tebd"] : ["mera"];
        bool symmetrize = r.Bool("symmetrize", true);
        int? depth = r.Has("depth") ? r.Int("depth", min: 1, max: 12) : null;
        r.Accept("depth");
        int couplings = r.Int("couplings", 8, min: 1, max: 64);
        int hiddenLayers = r.Int("hidden_layers", 1, min: 0, max: 8);
        int hiddenWidth = r.Int("hidden_width", 10, min: 1, max: 1024);
        long epochs = r.Long("epochs", 1000, min: 1);
        int batch = r.Int("batch", 512, min: 2, max: 1 << 16);
        double learningRate = r.Double("learning_rate", 1e-3, greaterThan: 0);
        double weightDecay = r.Double("weight_decay", 1e-3, min: 0);
        string dtype = r.String("dtype", "float64", NeuralRgTrainParameters.Dtypes.ToArray());
        long checkpointInterval = r.Long("checkpoint_interval", 500, min: 1);
        long logInterval = r.Long("log_interval", 10, min: 1);
        long snapshotInterval = r.Long("snapshot_interval", 100, min: 1);
        bool z2Comparison = r.Bool("z2_comparison", false);
        string schedule = r.String("schedule", "constant", NeuralRgTrainParameters.Schedules.ToArray());
        return new NeuralRgTrainParameters(sizes.ToArray(), beta, architectures, symmetrize, depth, couplings, hiddenLayers, hiddenWidth,
                                           epochs, batch, learningRate, weightDecay, dtype, checkpointInterval, logInterval, snapshotInterval,
                                           z2Comparison, schedule);
    }

    protected override Task RunAsync(StageContext ctx, NeuralRgTrainParameters p)
    {
        // One libtorch intra-op thread (or $BOLTZMANN_TORCH_THREADS): with libtorch's default pool the small-tensor steps
        // of this flow spin-wait and cost ~20x the CPU time on a shared 2-core machine (measured, docs/neuralrg.md).
        Boltzmann.Learning.Runtime.TorchThreads.EnsureConfigured();
        var models = new List<TrainedModel>();
        foreach (int l in p.Sizes)
        {
            foreach (string arch in p.Architectures)
            {
                ctx.Cancellation.ThrowIfCancellationRequested();
                models.Add(Train(ctx, p, l, arch, p.Symmetrize, variant: null));
            }
            // The Z2 comparison (supplement eqs. S2-S4): the same MERA trained on the other density.
            if (p.Z2Comparison)
            {
                ctx.Cancellation.ThrowIfCancellationRequested();
                models.Add(Train(ctx, p, l, "mera", !p.Symmetrize, NeuralRgTrainParameters.Z2Variant(!p.Symmetrize)));
            }
        }
        ctx.WriteJson(TrainedModel.IndexFile, models);
        ctx.OutputRows[TrainedModel.IndexFile] = models.Count;
        return Task.CompletedTask;
    }

    private static TrainedModel Train(StageContext ctx, NeuralRgTrainParameters p, int l, string arch, bool symmetrize, string? variant)
    {
        string key = NeuralRgTrainParameters.Key(l, arch, variant);
        var settings = new NeuralRgTrainingSettings
        {
            L = l, Beta = p.Beta, Architecture = NeuralRgTrainParameters.Architecture(arch), Symmetrize = symmetrize, Depth = p.Depth,
            Couplings = p.Couplings, HiddenLayers = p.HiddenLayers, HiddenWidth = p.HiddenWidth, Epochs = p.Epochs, Batch = p.Batch,
            LearningRate = p.LearningRate, WeightDecay = p.WeightDecay, Dtype = p.ScalarType, CheckpointInterval = p.CheckpointInterval,
            LogInterval = p.LogInterval, SnapshotInterval = p.SnapshotInterval,
            Schedule = p.Schedule == "cosine" ? Boltzmann.Learning.Training.LearningRateSchedule.Cosine : Boltzmann.Learning.Training.LearningRateSchedule.Constant,
            // Each (L, architecture) has its own stream; the Z2 comparison model shares its main model's seed (same initial
            // weights and latent draws: a paired comparison of the two densities).
            Seed = RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/{NeuralRgTrainParameters.Key(l, arch)}"),
        };
        using var training = new NeuralRgTraining(settings);
        var flowOptions = settings.FlowOptions();
        string snapshotDir = $"snapshots/{key}";
        var snapshots = new List<long>();
        using var progress = ctx.Progress.Start($"{ctx.Name}: {key}", p.Epochs, "epochs");
        var clock = Stopwatch.StartNew();
        var result = training.Run(Path.Combine(ctx.ScratchDirectory, key), epoch =>
        {
            ModuleCheckpoint.Save(ctx.OutputPath($"{snapshotDir}/epoch-{epoch}.ckpt"), flowOptions, training.Flow);
        }, (done, _) => progress.SetValue(done), ctx.Cancellation);
        double seconds = clock.Elapsed.TotalSeconds;
        for (long e = 0; e < p.Epochs; e += p.SnapshotInterval) snapshots.Add(e);
        string checkpoint = $"flows/{key}.ckpt";
        ModuleCheckpoint.Save(ctx.OutputPath(checkpoint), flowOptions, training.Flow);

        double exactF = -training.Field.ExactLnZx();
        var columns = result.Log.ToColumns();
        var table = new TableBuilder();
        var lossErr = columns.Extras["loss_err"];
        var ess = columns.Extras["ess_fraction"];
        for (int r = 0; r < columns.Step.Length; r++)
            table.Set("epoch", columns.Step[r]).Set("loss", columns.Loss[r]).Set("loss_err", lossErr[r]).Set("ess_fraction", ess[r])
                 .Set("exact_free_energy", exactF).Set("relative_error", (columns.Loss[r] - exactF) / Math.Abs(exactF))
                 .Set("wall_seconds", columns.ElapsedSeconds[r]).EndRow();
        string lossTable = $"loss/{key}";
        ctx.WriteTable(lossTable, table, new Dictionary<string, string>
        {
            ["stage"] = ctx.Name, ["l"] = l.ToString(CultureInfo.InvariantCulture), ["architecture"] = arch,
            ["beta"] = p.Beta.ToString("R", CultureInfo.InvariantCulture),
            ["symmetrize"] = symmetrize ? "true" : "false",
            ["loss"] = symmetrize ? "mean[ln q_sym(x) - ln pi(x)], x ~ q (eq. S4)" : "mean[ln q(x) - ln pi(x)], x ~ q (eq. 5)",
            ["exact"] = "-ln Z_x = -ln Z_Ising - ln det(K + alpha I)/2 + (N/2)[ln(2/pi) - alpha]",
        });
        int tail = Math.Max(1, columns.Loss.Length / 10);
        double finalLoss = columns.Loss[^tail..].Average();
        double rate = result.StepsThisRun / Math.Max(seconds, 1e-9);
        ctx.Extra[$"steps_per_second/{key}"] = rate.ToString("G4", CultureInfo.InvariantCulture);
        ctx.Log.Info($"{ctx.Name}: {key}: final loss {finalLoss:G7}, exact -ln Z_x {exactF:G7}, relative error {(finalLoss - exactF) / Math.Abs(exactF):E2}, {rate:G3} epochs/s");
        foreach (var e in snapshots) ctx.OutputRows[$"{snapshotDir}/epoch-{e}.ckpt"] = 1;
        ctx.OutputRows[checkpoint] = 1;
        return new TrainedModel(l, arch, p.Beta, symmetrize, checkpoint, lossTable + TableFile.ParquetExtension, snapshots.ToArray(),
                                snapshotDir, exactF, finalLoss, rate, variant);
    }
}
