using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boltzmann.Learning.Runtime;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Instances;
using Boltzmann.Stages.Sk.Pt;

namespace Boltzmann.Stages.SkFlow.Training;

/// <summary>
/// <c>sk-flow-train</c>: RealNVP flows (Hartnett &amp; Mohseni 2020, appendix A.1) trained on the continuous relaxation
/// of SK instances (eqs. 3-7), one per (instance, temperature), with the forward-KL (eq. 19), reverse-KL (eq. 17) or
/// online forward-KL (section 6) objective. Outputs: <c>flows/instance-XXX/t-T.ckpt</c> (RealNvpCheckpoint),
/// <c>loss/instance-XXX/t-T.parquet|csv</c> (step, wall_seconds, loss, gradient_norm, learning_rate and extras:
/// heldout_nll/heldout_nll_err, ess_fraction for reverse, pt_sweep for online) and the index <c>flows.json</c>
/// (<see cref="TrainedFlowIndex"/>). Checkpoints in the scratch directory make a killed run resume bit-identically.
/// <para>Sharded: one unit per (selected instance, temperature), each a <see cref="FlowTrainingJob"/> whose random
/// streams derive from (stage seed, instance, temperature index) only; the gather copies the checkpoints and loss
/// tables and writes the index in (instance, temperature) order, the same bytes as one job after the other.</para>
/// </summary>
public sealed class SkFlowTrainStage : ShardedStageKind<SkFlowTrainParameters>
{
    /// <summary>A unit's record of the flow it trained (its <see cref="TrainedFlow"/>), read by the gather; not a stage output.</summary>
    private const string UnitRecord = "unit-flow.json";

    public const string KindName = "sk-flow-train";

    public override string Kind => KindName;
    // 2: the coupling conditioners read only the passive half and write only the active half (shorter sums: results
    // change in the last bits, the flow is the same function).
    // 3: compact conditioners (RealNvp checkpoint format 2: first layer [W, |B|], last [|A|, W]; the weights that only
    // ever got zero gradient are gone), so Adam's arithmetic and the products' rounding differ in the last bits.
    public override int Version => 3;
    public override StagePhase Phase => StagePhase.Train;
    public override string Description => "RealNVP flows on the SK continuous relaxation: forward, reverse or online KL (Hartnett & Mohseni)";

    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("instances", [SkInstancesStage.KindName], Description: "the SK instances"),
        new("samples", [SkParallelTemperingStage.KindName], Required: false,
            Description: "PT samples: training data (forward), ladder and settings (online), held-out NLL (all)"),
    ];

    protected override SkFlowTrainParameters Parse(ParameterReader r)
    {
        string objective = r.String("objective", allowed: SkFlowTrainParameters.Objectives.ToArray());
        var temperatures = r.OptionalDoubleList("temperatures", greaterThan: 0);
        if (temperatures is null && !r.Has("temperatures")) r.Error("temperatures", "required key is missing; give the list of temperatures to train a flow for");
        if (temperatures is not null && temperatures.Distinct().Count() != temperatures.Length) r.Error("temperatures", "the list contains duplicate temperatures");
        var instanceList = r.OptionalDoubleList("instances", min: 0);
        int[]? instances = null;
        if (instanceList is not null)
        {
            for (int i = 0; i < instanceList.Length; i++)
                if (instanceList[i] != Math.Floor(instanceList[i]) || instanceList[i] > int.MaxValue)
                    r.Error($"instances[{i}]", $"value {instanceList[i]} is not allowed; must be a non-negative integer instance index");
            instances = instanceList.Select(v => (int)Math.Min(v, int.MaxValue)).ToArray();
            if (instances.Distinct().Count() != instances.Length) r.Error("instances", "the list contains duplicate instance indices");
        }
        double epsilon = r.Double("epsilon", 0.01, greaterThan: 0);
        int layers = r.Int("layers", 4, min: 1, max: 64);
        int hiddenLayers = r.Int("hidden_layers", 3, min: 0, max: 32);
        int? hiddenWidth = r.Has("hidden_width") ? r.Int("hidden_width", min: 1, max: 1 << 16) : null;
        r.Accept("hidden_width");
        long steps = r.Long("steps", 1000, min: 1);
        int batch = r.Int("batch", 50, min: 1, max: 1 << 20);
        double learningRate = r.Double("learning_rate", 1e-4, greaterThan: 0);
        string dtype = r.String("dtype", "float64", SkFlowTrainParameters.Dtypes.ToArray());
        long checkpointInterval = r.Long("checkpoint_interval", 500, min: 1);
        long logInterval = r.Long("log_interval", 10, min: 1);
        double holdout = r.Double("holdout", 0.1, min: 0, max: 0.9);
        long evalInterval = r.Long("eval_interval", 100, min: 1);
        if (evalInterval % logInterval != 0)
            r.Error("eval_interval", $"value {evalInterval} is not allowed; must be a multiple of log_interval = {logInterval} (held-out NLL is recorded on logged steps)");
        int sweepsPerSample = r.Int("sweeps_per_sample", 1, min: 1, max: 1_000_000);
        double? maxLossRise = r.OptionalDouble("max_loss_rise", greaterThan: 0);
        var parsed = objective switch { "reverse" => FlowObjective.Reverse, "online" => FlowObjective.Online, _ => FlowObjective.Forward };
        return new SkFlowTrainParameters(parsed, temperatures ?? [], instances, epsilon, layers, hiddenLayers, hiddenWidth, steps, batch,
                                         learningRate, dtype, checkpointInterval, logInterval, holdout, evalInterval, sweepsPerSample, maxLossRise);
    }

    protected override void Validate(SkFlowTrainParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var instances = UpstreamParameters<SkInstancesParameters>(upstream["instances"]);
        if (p.Instances is not null)
            for (int i = 0; i < p.Instances.Length; i++)
                if (p.Instances[i] >= instances.Count)
                    r.Error($"instances[{i}]", $"value {p.Instances[i]} is not allowed; upstream \"{upstream["instances"].Name}\" has {instances.Count} instance(s), indices 0..{instances.Count - 1}");
        if (!upstream.TryGetValue("samples", out var samples))
        {
            if (p.NeedsSamples)
                r.Error("objective", $"objective \"{p.Objective.ToString().ToLowerInvariant()}\" needs a \"samples\" upstream (an {SkParallelTemperingStage.KindName} stage): " +
                                     "its configurations are the training data (forward) or give the ladder and sampler settings (online)");
            return;
        }
        if (samples.Upstream["instances"] != upstream["instances"].Name)
            r.Error("objective", $"upstream \"{samples.Name}\" samples instances \"{samples.Upstream["instances"]}\" but this stage trains on \"{upstream["instances"].Name}\"; they must be the same stage");
        var pt = UpstreamParameters<SkPtParameters>(samples);
        var ladder = pt.Ladder.ToLadder().Temperatures;
        for (int i = 0; i < p.Temperatures.Length; i++)
            if (!ladder.Any(t => PtConfigurations.SameTemperature(t, p.Temperatures[i])))
                r.Error($"temperatures[{i}]", $"value {p.Temperatures[i]} is not on the ladder of upstream \"{samples.Name}\" ({string.Join(", ", ladder.Select(t => t.ToString("G10")))}); " +
                                              "each temperature must match a ladder temperature within 1e-9");
        long perChain = pt.Samples - (long)Math.Floor(p.Holdout * pt.Samples);
        if (p.Objective == FlowObjective.Forward && perChain * pt.Chains < p.Batch)
            r.Error("batch", $"value {p.Batch} is larger than the data: upstream \"{samples.Name}\" leaves {perChain * pt.Chains} training configurations per temperature after holdout = {p.Holdout}");
    }

    protected override IReadOnlyList<ShardUnit> Units(SkFlowTrainParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream)
    {
        var selected = p.Instances ?? Enumerable.Range(0, UpstreamParameters<SkInstancesParameters>(upstream["instances"]).Count).ToArray();
        return [.. selected.SelectMany(i => p.Temperatures.Select((t, k) => (i, t, k)))
            .Select((u, index) => new ShardUnit(index, $"i{u.i}-T{u.t.ToString("R", CultureInfo.InvariantCulture)}",
                new JsonObject { ["instance"] = u.i, ["temperature_index"] = u.k, ["temperature"] = u.t }))];
    }

    protected override async Task RunUnitAsync(StageContext ctx, SkFlowTrainParameters p, ShardUnit unit)
    {
        int i = (int)unit.Canonical["instance"]!, k = (int)unit.Canonical["temperature_index"]!;
        var inputs = ctx.Input("instances");
        var entries = SkInstanceStore.Entries(inputs);
        if (i >= entries.Count) throw new StageInputException($"{ctx.Name}: instance {i} does not exist; upstream has {entries.Count} instance(s)");
        var flow = await new FlowTrainingJob(ctx, p, i, SkInstanceStore.Load(inputs, entries[i]), k, TorchDevice.Resolve(ctx.Device)).RunAsync();
        ctx.WriteJson(UnitRecord, flow);
        ctx.OutputRows[flow.Checkpoint] = 1;
    }

    protected override Task GatherAsync(StageContext ctx, SkFlowTrainParameters p, IReadOnlyList<ShardArtifact> units)
    {
        ShardOutputs.CopyAll(ctx, units, path => path != UnitRecord);
        var flows = units.Select(u => JsonSerializer.Deserialize<TrainedFlow>(File.ReadAllText(Path.Combine(u.Directory, UnitRecord)), JsonDefaults.Indented)!).ToList();
        TrainedFlowIndex.Write(ctx, flows);
        ctx.OutputRows[TrainedFlowIndex.FileName] = flows.Count;
        return Task.CompletedTask;
    }
}
