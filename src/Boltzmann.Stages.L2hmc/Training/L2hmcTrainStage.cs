using System.Globalization;
using System.Text.Json;
using Boltzmann.Data.Tables;
using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Persistence;
using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling.L2hmc;
using Boltzmann.Learning.Training;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Random;
using Boltzmann.Targets.Lattice;
using static TorchSharp.torch;

namespace Boltzmann.Stages.L2hmc.Training;

/// <summary>
/// <c>l2hmc-train</c>: trains the deep-learning HMC sampler (Foreman, Jin &amp; Osborn 2021) for 2D U(1) on an L x L
/// lattice with the charge loss of eq. 6 on a batch of persistent chains that are accepted/rejected after every step
/// (Algorithm 1), beta annealed upward in eras (the public code's schedule; one era per listed beta), Adam with a
/// linear warm-up through the shared <see cref="Trainer"/>. The chain state (positions and both Generators) is a
/// registered checkpoint state, so a killed run resumes bit for bit. Outputs: a model snapshot at the end of every era
/// (<see cref="L2hmcModels.Trained"/>), one after <c>retrain_steps</c> steps of every later era
/// (<see cref="L2hmcModels.Retrained"/>, for the transfer study), and the loss log <c>loss/l2hmc</c> (step, loss,
/// gradient norm, learning rate, beta, acceptance, charge_jump = mean δQ_R², abs_log_jacobian).
/// A non-finite log-Jacobian or action stops the stage naming layer, step and chain.
/// </summary>
public sealed class L2hmcTrainStage : StageKind<L2hmcTrainParameters>
{
    public const string KindName = "l2hmc-train";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Train;
    public override string Description => "deep-learning HMC for 2D U(1): charge loss (eq. 6) on persistent chains, beta annealed in eras (Foreman, Jin & Osborn)";

    protected override L2hmcTrainParameters Parse(ParameterReader r) => L2hmcTrainParameters.Read(r);

    protected override Task RunAsync(StageContext ctx, L2hmcTrainParameters p)
    {
        var device = TorchDevice.Resolve(ctx.Device);
        var dtype = p.Dtype == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        string scratchModels = Path.Combine(ctx.ScratchDirectory, "models");
        Directory.CreateDirectory(scratchModels);
        L2hmcModelOptions Options(int era) => new(p.L, p.NLf, p.Eps, p.Width, p.HiddenLayers, p.Dtype, p.Betas[era]);

        using var sampler = Options(0).Build(device);
        using (var init = new Generator(RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/weights"))) sampler.InitialiseWeights(init, p.InitGain);
        var targets = p.Betas.Select(b => new U1Target(p.L, p.L, b, dtype, device)).ToArray();
        using var hot = new Generator(RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/hot-start"));
        L2hmcState state;
        using (var u = rand([p.Chains, 2, p.L, p.L], dtype: ScalarType.Float64, generator: hot))
        using (var x = u.Times(2 * Math.PI).MinusConstant(Math.PI).to(dtype, device))
            state = sampler.Initialise(x, RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/chains"));
        try
        {
            var options = new TrainingOptions
            {
                Steps = p.TotalSteps, LearningRate = p.LearningRate, WarmupSteps = p.WarmupSteps, DType = dtype, Device = device,
                CheckpointInterval = p.CheckpointInterval, LogInterval = p.LogInterval,
            };
            using var trainer = new Trainer(sampler, options, Path.Combine(ctx.ScratchDirectory, "trainer"));
            trainer.RegisterState(state);
            var resume = trainer.Resume();
            foreach (var skipped in resume.Skipped) ctx.Log.Warn($"{ctx.Name}: {skipped}");
            if (resume.Checkpoint is not null) ctx.Log.Info($"{ctx.Name}: resuming at step {resume.CompletedSteps}");

            using var progress = ctx.Progress.Start(ctx.Name, p.TotalSteps, "steps");
            progress.SetValue(trainer.CompletedSteps);
            StepResult Step(long s)
            {
                int era = (int)(s / p.StepsPerEra);
                var r = L2hmcChargeLoss.Step(sampler, targets[era], state, s, U1TensorObservables.ChargeR, p.PlaquetteWeight, U1TensorObservables.PlaquetteAngles);
                var extras = new List<(string, double)> { ("beta", p.Betas[era]) };
                extras.AddRange(r.Extras!);
                return new StepResult(r.Loss, extras);
            }
            void Snapshot(long completed, long total)
            {
                progress.SetValue(completed);
                int era = (int)((completed - 1) / p.StepsPerEra);
                long within = completed - era * p.StepsPerEra;
                if (within == p.StepsPerEra)
                    ModuleCheckpoint.Save(Path.Combine(ctx.ScratchDirectory, L2hmcModels.Trained(era)), Options(era), sampler);
                else if (era > 0 && within == p.RetrainSteps)
                    ModuleCheckpoint.Save(Path.Combine(ctx.ScratchDirectory, L2hmcModels.Retrained(era)), Options(era), sampler);
            }
            trainer.Run(Step, Snapshot, ctx.Cancellation);

            for (int e = 0; e < p.Betas.Length; e++)
                foreach (string rel in e == 0 ? [L2hmcModels.Trained(e)] : new[] { L2hmcModels.Trained(e), L2hmcModels.Retrained(e) })
                {
                    string from = Path.Combine(ctx.ScratchDirectory, rel);
                    if (!File.Exists(from)) throw new InvalidOperationException($"{ctx.Name}: model snapshot {rel} is missing (the scratch directory was cleared during a resume); delete the checkpoints to retrain.");
                    File.Copy(from, ctx.OutputPath(rel), overwrite: true);
                }
            WriteLoss(ctx, trainer, p);
            ctx.Extra["final_acceptance"] = trainer.Log.ToColumns().Extras["acceptance"][^1].ToString("G4", CultureInfo.InvariantCulture);
            ctx.Log.Info($"{ctx.Name}: trained {trainer.CompletedSteps} steps over {p.Betas.Length} eras; chain acceptance {state.AcceptanceRate():F3}");
        }
        finally
        {
            state.Dispose();
            foreach (var t in targets) t.Dispose();
        }
        return Task.CompletedTask;
    }

    private static void WriteLoss(StageContext ctx, Trainer trainer, L2hmcTrainParameters p)
    {
        var columns = trainer.Log.ToColumns();
        var table = new TableBuilder();
        for (int r = 0; r < columns.Step.Length; r++)
        {
            table.Set("step", columns.Step[r]).Set("wall_seconds", columns.ElapsedSeconds[r]).Set("loss", columns.Loss[r])
                 .Set("gradient_norm", columns.GradientNorm[r]).Set("learning_rate", columns.LearningRate[r]);
            foreach (var (name, values) in columns.Extras) table.Set(name, values[r]);
            table.EndRow();
        }
        ctx.WriteTable(L2hmcModels.LossTable, table, new Dictionary<string, string>
        {
            ["stage"] = ctx.Name,
            ["loss"] = "-mean[(Q_R(x') - Q_R(x))^2 A(xi'|xi)] (eq. 6)" + (p.PlaquetteWeight > 0 ? $" + {p.PlaquetteWeight} plaquette term" : ""),
            ["settings"] = JsonSerializer.Serialize(p, JsonDefaults.Indented),
        });
    }
}
