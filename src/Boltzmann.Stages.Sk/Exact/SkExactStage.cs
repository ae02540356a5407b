using Boltzmann.Data.Tables;
using Boltzmann.Physics.Sk;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Instances;

namespace Boltzmann.Stages.Sk.Exact;

/// <summary>
/// Ground truth by complete enumeration (N &lt;= 24): ln Z, energy, specific heat, &lt;q^2&gt;, exact P(q),
/// magnetisation and the ground state of every instance. Tables exact/thermo, exact/overlap, exact/ground_state.
/// </summary>
public sealed class SkExactStage : StageKind<SkExactParameters>
{
    public const string KindName = "sk-exact";
    public const string Thermo = "exact/thermo";
    public const string Overlap = "exact/overlap";
    public const string GroundState = "exact/ground_state";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Evaluate;
    public override string Description => "exact enumeration (N <= 24): ln Z, E, C, <q^2>, P(q), ground state";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("instances", [SkInstancesStage.KindName])];

    protected override SkExactParameters Parse(ParameterReader r)
    {
        var ts = r.OptionalDoubleList("temperatures", min: TemperatureRange.Min, max: TemperatureRange.Max) ?? [];
        if (!r.Has("temperatures")) r.Error("temperatures", $"required key is missing; must be a non-empty list of temperatures in [{TemperatureRange.Min}, {TemperatureRange.Max}]");
        var grid = r.OptionalObject("grid", TemperatureGrid.Read);
        return new SkExactParameters(ts.Distinct().Order().ToArray(), grid);
    }

    protected override void Validate(SkExactParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var inst = UpstreamParameters<SkInstancesParameters>(upstream["instances"]);
        if (inst.N > SkExactEnumeration.MaxN)
            r.Error("temperatures", $"exact enumeration needs N <= {SkExactEnumeration.MaxN}; upstream \"{upstream["instances"].Name}\" has n = {inst.N}");
    }

    protected override Task RunAsync(StageContext ctx, SkExactParameters p)
    {
        var inputs = ctx.Input("instances");
        var entries = SkInstanceStore.Entries(inputs);
        var thermo = new TableBuilder();
        var overlap = new TableBuilder();
        var ground = new TableBuilder();
        var grid = p.Grid?.Values() ?? [];
        using var progress = ctx.Progress.Start($"{ctx.Name}: enumerate 2^N", entries.Count, "instances");
        foreach (var entry in entries)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            var exact = new SkExactEnumeration(SkInstanceStore.Load(inputs, entry));
            foreach (var (t, isGrid) in p.Temperatures.Select(t => (t, 0)).Concat(grid.Select(t => (t, 1))))
            {
                var th = exact.AtTemperature(t, includeOverlap: true);
                thermo.Set("instance", entry.Index).Set("grid", isGrid).Set("temperature", t).Set("beta", th.Beta)
                      .Set("ln_z", th.LnZ).Set("free_energy", th.FreeEnergyPerSpin).Set("energy", th.MeanEnergyPerSpin)
                      .Set("specific_heat", th.SpecificHeat).Set("q2", th.MeanQ2).Set("abs_m", th.MeanAbsMagnetization)
                      .Set("m2", th.MeanMagnetizationSquared).EndRow();
                if (isGrid == 1) continue;
                for (int k = 0; k <= th.N; k++)
                    overlap.Set("instance", entry.Index).Set("temperature", t).Set("k", k).Set("q", th.OverlapValue(k))
                           .Set("p", th.OverlapDistribution[k]).EndRow();
            }
            var gs = exact.GroundState;
            ground.Set("instance", entry.Index).Set("n", entry.N).Set("energy", gs.Energy / entry.N).Set("degeneracy", gs.Degeneracy).EndRow();
            progress.Increment();
        }
        ctx.WriteTable(Thermo, thermo);
        ctx.WriteTable(Overlap, overlap);
        ctx.WriteTable(GroundState, ground);
        return Task.CompletedTask;
    }
}
