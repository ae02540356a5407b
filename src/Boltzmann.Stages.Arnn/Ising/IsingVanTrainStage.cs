using System.Globalization;
using Boltzmann.Autoregressive;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Data.Tables;
using Boltzmann.Learning.Runtime;
using Boltzmann.Physics.Lattice;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Targets.Spins;
using static TorchSharp.torch;

namespace Boltzmann.Stages.Arnn.Ising;

/// <summary>
/// Variational annealing of autoregressive networks on the 2D Ising model (VAN: Wu, Wang &amp; Zhang, PRL 122, 080602
/// (2019); the networks of Nicoli et al., PRE 101, 023304 (2020)): for every architecture, one network is annealed
/// through the β schedule with the REINFORCE objective of <see cref="VariationalAnnealing"/> (batch-mean baseline,
/// Adam, checkpointed in the scratch directory so a killed run resumes bit for bit), and its weights after each kept
/// temperature are written as models/ARCH/beta-KKK.bin for <see cref="IsingNisEvaluateStage"/>. The Hamiltonian is
/// <see cref="IsingLatticeCouplings"/> on the periodic L × L lattice, so convolutional networks see the lattice.
/// Outputs: the snapshots, architectures.json and ising-van/training (architecture index, β per kept temperature, parameter
/// counts and training wall time).
/// </summary>
public sealed class IsingVanTrainStage : StageKind<IsingVanTrainParameters>
{
    public const string KindName = "ising-van-train";
    public const string TrainingTable = "ising-van/training";
    public const string ArchitecturesFile = "architectures.json";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Train;
    public override string Description => "2D Ising: variational annealing (VAN) of MADE / PixelCNN networks across a beta grid; weights per beta";
    public override IReadOnlyList<UpstreamSlot> Upstream => [];

    protected override IsingVanTrainParameters Parse(ParameterReader r)
    {
        int l = r.Int("l", 8, min: 2, max: 32);
        var archs = IsingArchitectures.Parse(r, "architectures");
        double b0 = r.Double("beta_start", 0.1, greaterThan: 0);
        double db = r.Double("beta_step", 0.05, greaterThan: 0);
        double b1 = r.Double("beta_max", 0.6, greaterThan: 0);
        if (b1 < b0) r.Error("beta_max", $"value {F(b1)} is below beta_start = {F(b0)}; must be >= beta_start");
        int epochs = r.Int("epochs", 100, min: 1, max: 10_000_000);
        int batch = r.Int("batch", 500, min: 2, max: 1_000_000);
        double lr = r.Double("learning_rate", 1e-2, greaterThan: 0, max: 1);
        var evaluate = r.OptionalDoubleList("evaluate_betas", greaterThan: 0) ?? [];
        if (b1 >= b0 && b0 > 0 && db > 0)
        {
            var schedule = new AnnealingSchedule(b0, db, b1, epochs);
            for (int i = 0; i < evaluate.Length; i++)
                if (schedule.IndexOf(evaluate[i]) < 0)
                    r.Error($"evaluate_betas[{i}]", $"value {F(evaluate[i])} is not on the annealing schedule ({F(b0)} to {F(schedule.Betas[^1])} in steps of {F(db)})");
        }
        return new IsingVanTrainParameters(l, archs, b0, db, b1, epochs, batch, lr, evaluate.Distinct().Order().ToArray());
    }

    private static string F(double x) => x.ToString(CultureInfo.InvariantCulture);

    protected override Task RunAsync(StageContext ctx, IsingVanTrainParameters p)
    {
        SingleThreadedTorch.Run(() => Train(ctx, p));
        return Task.CompletedTask;
    }

    private static void Train(StageContext ctx, IsingVanTrainParameters p)
    {
        var device = TorchDevice.Resolve(ctx.Device);
        var schedule = p.Schedule;
        var kept = p.KeptIndices().ToHashSet();
        var ising = IsingLatticeCouplings.Square(p.L);
        using var energy = new PairwiseSpinTarget(ising, 1.0, device);
        var table = new TableBuilder();
        for (int a = 0; a < p.Architectures.Length; a++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            string name = p.Architectures[a];
            string tag = $"{name}-l{p.L}";
            var init = new Generator(ctx.Stream($"init/{tag}").NextUInt64(), CPU);
            using var model = AutoregressiveArchitecture.Parse(name).Create(ising, schedule.Betas[0], device, init);
            var observer = new SnapshotObserver(ctx, name, kept);
            var started = DateTime.UtcNow;
            AnnealingRunResult run;
            using (var progress = ctx.Progress.Start($"{ctx.Name}: {name} L={p.L}", schedule.TotalSteps, "steps"))
            {
                var options = new VariationalAnnealingOptions(schedule, p.Batch, p.LearningRate, device);
                run = VariationalAnnealing.Run(model, energy, options, ctx.Stream($"train/{tag}").NextUInt64(),
                    Path.Combine(ctx.ScratchDirectory, tag), observer, (done, _) => progress.SetValue(done), ctx.Cancellation);
            }
            double seconds = (DateTime.UtcNow - started).TotalSeconds;
            ctx.Extra[$"train_seconds/{name}"] = seconds.ToString("F1", CultureInfo.InvariantCulture);
            ctx.Log.Info($"{ctx.Name}: {name} L={p.L}: {run.StepsThisRun} steps in {seconds:F1} s ({model.ParameterCount} parameters)");
            foreach (int k in kept.Order())
            {
                table.Set("architecture", a).Set("l", p.L).Set("temperature_index", k).Set("beta", schedule.Betas[k])
                     .Set("parameters", model.ParameterCount).Set("train_seconds", seconds)
                     .Set("epochs", p.Epochs).Set("batch", p.Batch).EndRow();
            }
        }
        var meta = new Dictionary<string, string> { ["architectures"] = string.Join(",", p.Architectures.Select((x, i) => $"{i}:{x}")) };
        ctx.WriteTable(TrainingTable, table, meta);
        ctx.WriteJson(ArchitecturesFile, p.Architectures);
    }

    /// <summary>Saves the network after every kept temperature (atomically); a resumed run skips temperatures already saved.</summary>
    private sealed class SnapshotObserver(StageContext ctx, string architecture, ISet<int> kept) : ITemperatureObserver
    {
        public bool HasResult(int index) => !kept.Contains(index) || File.Exists(ctx.OutputPath(IsingVanTrainParameters.SnapshotPath(architecture, index)));

        public void OnTemperatureCompleted(int index, double beta, AutoregressiveModel model)
        {
            if (!kept.Contains(index)) return;
            string path = ctx.OutputPath(IsingVanTrainParameters.SnapshotPath(architecture, index));
            string temp = path + ".tmp";
            model.save(temp);
            File.Move(temp, path, overwrite: true);
        }
    }
}
