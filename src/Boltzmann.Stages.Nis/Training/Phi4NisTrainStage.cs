using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boltzmann.Data.Tables;
using Boltzmann.Flows.Lattice;
using Boltzmann.Learning.Runtime;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Random;
using Boltzmann.Stages.Lattice.Phi4;
using Boltzmann.Targets.Lattice;

namespace Boltzmann.Stages.Nis.Training;

/// <summary>
/// Trains one checkerboard conv flow (<see cref="LatticeFlow"/>, Albergo et al. 2019) per kappa for lattice phi^4
/// in the hopping form (Nicoli et al. PRL 126, 032001 (2021)) by reverse KL (total or path gradient) or by forward KL
/// on the upstream phi4-hmc configurations at the same kappa. Writes flows/kappa-XXX.ckpt, the loss curve of every
/// flow (loss/kappa-XXX: step, loss, gradient norm, batch ESS) and a training table (steps, seconds, s/step).
/// The upstream HMC dataset must have the same L x T and lambda and carry every kappa (checked at configuration time).
/// Sharded: one unit per kappa (its flow and loss curve); the gather writes the training table.
/// </summary>
public sealed class Phi4NisTrainStage : ShardedStageKind<Phi4NisTrainParameters>
{
    public const string KindName = "phi4-nis-train";
    public const string TrainingTable = "training";

    public override string Kind => KindName;
    public override int Version => 2;
    public override StagePhase Phase => StagePhase.Train;
    public override string Description => "phi^4 lattice flows (checkerboard conv couplings) per kappa: reverse KL (total or path gradient) or forward KL on HMC data";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("samples", [Phi4HmcStage.KindName], Required: false)];

    public static string FlowPath(int index) => $"flows/kappa-{index:D3}.ckpt";

    public static string LossTable(int index) => $"loss/kappa-{index:D3}";

    protected override Phi4NisTrainParameters Parse(ParameterReader r) => Phi4NisTrainParameters.Read(r);

    protected override void Validate(Phi4NisTrainParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        if (p.Kappas.Length == 0) r.Error("kappas", "give at least one kappa");
        bool has = upstream.TryGetValue("samples", out var samples);
        if (p.Kind == NisObjective.Forward && !has)
            r.Error("samples", "forward-KL training needs an upstream \"samples\" phi4-hmc stage (the configurations of p)");
        if (has) HmcCompatibility.Check(r, "samples", samples!.Name, UpstreamParameters<Phi4HmcParameters>(samples), p.L, p.T, p.Lambda, p.Kappas);
    }

    /// <summary>A unit's row of the training table; read by the gather, not a stage output.</summary>
    private sealed record UnitRow(double Kappa, double Lambda, long Steps, double FinalLoss, double Seconds, double SecondsPerStep, int Batch);

    private const string UnitRowFile = "unit-training.json";

    protected override IReadOnlyList<ShardUnit> Units(Phi4NisTrainParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream) =>
        [.. p.Kappas.Select((k, i) => new ShardUnit(i, $"kappa-{i:D3}", new JsonObject { ["index"] = i, ["kappa"] = k }))];

    /// <summary>One kappa's flow: weights from (seed, stage/flow, index), sampler from (seed, stage/sampler, index).</summary>
    protected override async Task RunUnitAsync(StageContext ctx, Phi4NisTrainParameters p, ShardUnit unit)
    {
        var device = TorchDevice.Resolve(ctx.Device);   // also fixes libtorch's thread count (docs/platform.md)
        int i = unit.Index;
        double kappa = p.Kappas[i];
        string label = $"{ctx.Name}: {p.Objective} flow{(p.Flow.Z2Equivariant ? " (Z2-equivariant)" : "")}, {p.L} x {p.T}, kappa = {kappa.ToString("G6", CultureInfo.InvariantCulture)}";
        double[]? data = p.Kind == NisObjective.Forward
            ? await HmcConfigurations.ReadAsync(ctx.Input("samples"), kappa, p.AugmentZ2, ctx.Cancellation, p.HoldOut ? HmcSplit.Training : HmcSplit.All)
            : null;
        ulong seed = RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/flow", i);
        using var target = new Phi4Target(p.L, p.T, kappa, p.Lambda, p.Flow.ScalarType, device);
        using var flow = LatticeFlow.Create(p.Flow.Options(p.L, p.T, seed, device), $"nis-flow-kappa-{kappa}");
        using var progress = ctx.Progress.Start(label, p.Steps, "steps");
        var result = NisFlowTraining.Run(flow, target, p.Kind, p.Steps, p.Batch, p.LearningRate, p.CheckpointInterval,
            Path.Combine(ctx.ScratchDirectory, $"kappa-{i:D3}"), RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/sampler", i), data,
            ctx.Cancellation, (done, _) => progress.SetValue(done));
        NisFlowCheckpoint.Save(ctx.OutputPath(FlowPath(i)),
            new NisFlowHeader(p.L, p.T, kappa, p.Lambda, p.Objective, p.Flow, seed, result.Steps, result.Seconds, result.FinalLoss), flow);

        var loss = new TableBuilder();
        int extra = result.Log.ExtraNames.ToList().IndexOf("ess");
        foreach (var rec in result.Log.Records)
            loss.Set("step", rec.Step).Set("loss", rec.Loss).Set("gradient_norm", rec.GradientNorm)
                .Set("ess", extra >= 0 ? rec.Extras[extra] : double.NaN).EndRow();
        ctx.WriteTable(LossTable(i), loss);
        ctx.WriteJson(UnitRowFile, new UnitRow(kappa, p.Lambda, result.Steps, result.FinalLoss, result.Seconds, result.SecondsPerStep, p.Batch));
        ctx.Log.Info($"{label}: {result.Steps} steps, {result.SecondsPerStep * 1e3:F1} ms/step, final loss {result.FinalLoss:F4}");
    }

    /// <summary>Every kappa's flow and loss curve, and the training table (a row per kappa, in kappa order).</summary>
    protected override Task GatherAsync(StageContext ctx, Phi4NisTrainParameters p, IReadOnlyList<ShardArtifact> units)
    {
        ShardOutputs.CopyAll(ctx, units, path => path != UnitRowFile);
        var table = new TableBuilder();
        foreach (var u in units)
        {
            var r = JsonSerializer.Deserialize<UnitRow>(File.ReadAllText(Path.Combine(u.Directory, UnitRowFile)), JsonDefaults.Indented)
                    ?? throw new InvalidDataException($"{u.Directory}: empty {UnitRowFile}");
            table.Set("kappa", r.Kappa).Set("lambda", r.Lambda).Set("steps", r.Steps).Set("final_loss", r.FinalLoss)
                 .Set("seconds", r.Seconds).Set("seconds_per_step", r.SecondsPerStep).Set("batch", r.Batch).EndRow();
        }
        ctx.WriteTable(TrainingTable, table);
        return Task.CompletedTask;
    }
}
