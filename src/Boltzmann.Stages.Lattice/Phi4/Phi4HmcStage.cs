using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boltzmann.Data.Lattice;
using Boltzmann.MonteCarlo.Hmc;
using Boltzmann.Physics.Lattice;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;
using Boltzmann.Stages.Lattice.Hmc;

namespace Boltzmann.Stages.Lattice.Phi4;

/// <summary>
/// HMC for lattice phi^4 in the hopping form (Nicoli et al. 2021) over a kappa grid at fixed lambda: configurations
/// to a Parquet dataset (<see cref="Phi4Dataset"/>) streamed while sampling, with per-part checkpoints of every chain,
/// then observables with errors from the stored data (<see cref="Phi4Estimates"/>): &lt;|m|&gt;, chi, Binder U, S/V,
/// tau_int of |m|, the zero-momentum time-slice correlator and the connected two-point function G(r e_mu).
/// Sharded: one unit per kappa (its parts and summary); the gather estimates from the assembled dataset.
/// </summary>
public sealed class Phi4HmcStage : ShardedStageKind<Phi4HmcParameters>
{
    public const string KindName = "phi4-hmc";

    public override string Kind => KindName;
    public override int Version => 2;  // 2: observables/two_point table
    public override StagePhase Phase => StagePhase.Generate;
    public override string Description => "phi^4 (hopping form) HMC over a kappa grid -> Parquet configurations + <|m|>, chi, Binder, S/V, tau_int";

    protected override Phi4HmcParameters Parse(ParameterReader r) => Phi4HmcParameters.Read(r);

    protected override IReadOnlyList<ShardUnit> Units(Phi4HmcParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream) =>
        [.. p.Kappas.Select((k, i) => new ShardUnit(i, PointLabel(i), new JsonObject { ["index"] = i, ["kappa"] = k }))];

    private static string PointLabel(int index) => $"kappa-{index:D3}";

    /// <summary>The chains of one kappa: its configuration parts and summary, streams from (seed, stage/kappa-XXX, chain).</summary>
    protected override async Task RunUnitAsync(StageContext ctx, Phi4HmcParameters p, ShardUnit unit)
    {
        var lattice = new Lattice2D(p.L, p.T);
        var writer = new LatticeDatasetWriter(Path.Combine(ctx.WorkDirectory, Phi4Dataset.Directory), Phi4Dataset.Schema(p.L, p.T), Metadata(ctx, p));
        var point = new HmcPoint(unit.Index, PointLabel(unit.Index), p.Hmc.Options(p.Eps, p.NLf, compact: false));
        var action = new Phi4Action(lattice, p.Kappas[unit.Index], p.Lambda);

        var summary = await HmcSampling.RunAsync<Phi4Action>(ctx, p.Hmc, writer, [point],
            (_, _) => action, (_, _) => new double[lattice.Volume],
            (pt, chain, t, s) =>
            {
                var phi = chain.Positions;
                s[0] = p.Kappas[pt.Index];
                s[1] = chain.Action;
                s[2] = Phi4Observables.Magnetisation(phi);
                s[3] = Phi4Observables.HoppingSum(lattice, phi);
                s[4] = t.AcceptProbability;
                s[5] = t.DeltaH;
            });
        foreach (int part in summary.Parts)
            ctx.OutputRows[$"{Phi4Dataset.Directory}/{LatticeDatasetWriter.PartFileName(part)}"] = p.Hmc.StoredRows(part);
        ctx.Log.Info($"{ctx.Name}: {point.Label}: {summary.SiteUpdatesPerSecond / 1e6:F1} M site-leapfrog updates/s");
    }

    /// <summary>Every kappa's parts and summaries, then the observables from the whole dataset.</summary>
    protected override async Task GatherAsync(StageContext ctx, Phi4HmcParameters p, IReadOnlyList<ShardArtifact> units)
    {
        ShardOutputs.CopyAll(ctx, units);
        var lattice = new Lattice2D(p.L, p.T);
        var dataset = Path.Combine(ctx.WorkDirectory, Phi4Dataset.Directory);
        var clock = Stopwatch.StartNew();
        var estimates = await Phi4Estimates.ComputeAsync(dataset, lattice, p, ctx.Cancellation);
        double readSeconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        long bytes = LatticeDatasetWriter.CompletedParts(dataset).Sum(i => new FileInfo(Path.Combine(dataset, LatticeDatasetWriter.PartFileName(i))).Length);
        ctx.Extra["dataset_bytes_per_float32"] = (bytes / (double)estimates.StoredValues).ToString("G4", CultureInfo.InvariantCulture);
        ctx.Extra["dataset_read_and_analyse_float32_per_second"] = (estimates.StoredValues / readSeconds).ToString("G4", CultureInfo.InvariantCulture);
        ctx.WriteTable(Phi4Estimates.ObservablesTable, estimates.Observables);
        ctx.WriteTable(Phi4Estimates.CorrelatorTable, estimates.Correlator);
        ctx.WriteTable(Phi4TwoPoint.Table, estimates.TwoPoint);
        ctx.Log.Info($"{ctx.Name}: dataset {ctx.Extra["dataset_bytes_per_float32"]} B per float32");
    }

    private static Dictionary<string, string> Metadata(StageContext ctx, Phi4HmcParameters p) => new()
    {
        ["model"] = "phi4",
        ["action"] = "S = sum_x [ -2 kappa sum_mu phi(x) phi(x+mu) + (1 - 2 lambda) phi(x)^2 + lambda phi(x)^4 ]",
        ["site_order"] = "i = x*T + t (x: direction 0, length L; t: direction 1, length T)",
        ["l"] = p.L.ToString(CultureInfo.InvariantCulture),
        ["t"] = p.T.ToString(CultureInfo.InvariantCulture),
        ["lambda"] = p.Lambda.ToString("R", CultureInfo.InvariantCulture),
        ["sampler"] = $"hmc/{p.Hmc.Integrator}",
        ["sampler_settings"] = JsonSerializer.Serialize(p, JsonDefaults.Indented),
        ["seed"] = ctx.Seed.ToString(CultureInfo.InvariantCulture),
        ["stage"] = ctx.Name,
    };
}
