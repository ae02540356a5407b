using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boltzmann.Data.Lattice;
using Boltzmann.Physics.Lattice;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Random;
using Boltzmann.Stages.Lattice.Hmc;

namespace Boltzmann.Stages.Lattice.U1;

/// <summary>
/// HMC for 2D U(1) lattice gauge theory with the Wilson action (Foreman, Jin &amp; Osborn 2021) on compact link angles,
/// for every beta and every (N_LF, eps) pair: configurations to Parquet (<see cref="U1Dataset"/>) with per-part
/// checkpoints, then observables (<see cref="U1Estimates"/>) against the exact finite-volume results.
/// Chains start hot (uniform random links), so different chains start in different topological sectors.
/// Sharded: one unit per beta (its (N_LF, eps) pairs run in order); the gather estimates from the assembled dataset.
/// </summary>
public sealed class U1HmcStage : ShardedStageKind<U1HmcParameters>
{
    public const string KindName = "u1-hmc";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Generate;
    public override string Description => "2D U(1) Wilson-action HMC over beta and (N_LF, eps) -> Parquet links + <cos x_P>, <Q^2>, tau_int(Q), tunnelling vs exact";

    protected override U1HmcParameters Parse(ParameterReader r) => U1HmcParameters.Read(r);

    protected override IReadOnlyList<ShardUnit> Units(U1HmcParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream) =>
        [.. p.Betas.Select((b, i) => new ShardUnit(i, $"beta-{i:D2}", new JsonObject { ["index"] = i, ["beta"] = b }))];

    /// <summary>
    /// Every simulated point in output order: beta b with (N_LF, eps) pair j is point b * pairs + j, so the points of
    /// one beta (one unit) are consecutive and their part numbers and streams are those of a whole-stage run.
    /// </summary>
    private static List<HmcPoint> Points(U1HmcParameters p) =>
        [.. from b in Enumerable.Range(0, p.Betas.Length)
            from j in Enumerable.Range(0, p.NLf.Length)
            select new HmcPoint(b * p.NLf.Length + j, $"beta-{b:D2}-pair-{j:D2}", p.Hmc.Options(p.Eps[j], p.NLf[j], compact: true))];

    /// <summary>One beta: the chains of each of its (N_LF, eps) pairs, hot-started from (seed, stage/point/hot-start, chain).</summary>
    protected override async Task RunUnitAsync(StageContext ctx, U1HmcParameters p, ShardUnit unit)
    {
        var lattice = new Lattice2D(p.L, p.L);
        var writer = new LatticeDatasetWriter(Path.Combine(ctx.WorkDirectory, U1Dataset.Directory), U1Dataset.Schema(p.L), Metadata(ctx, p));
        var points = Points(p).Skip(unit.Index * p.NLf.Length).Take(p.NLf.Length).ToList();
        double beta = p.Betas[unit.Index];
        var scratch = new ThreadLocal<double[]>(() => new double[lattice.Volume]);
        var summary = await HmcSampling.RunAsync<U1WilsonAction>(ctx, p.Hmc, writer, points,
            (_, _) => new U1WilsonAction(lattice, beta),
            (pt, c) =>
            {
                var rng = RandomStreams.For(ctx.Seed, $"{ctx.Name}/{pt.Label}/hot-start", 0, c);
                var x = new double[lattice.LinkCount];
                for (int i = 0; i < x.Length; i++) x[i] = U1Observables.Wrap(Math.PI * (2 * rng.NextDouble() - 1));
                return x;
            },
            (pt, chain, t, s) =>
            {
                var q = U1Observables.Summarise(lattice, chain.Positions, scratch.Value!);
                s[0] = beta;
                s[1] = pt.Options.Steps;
                s[2] = t.StepSize;
                s[3] = chain.Action;
                s[4] = q.MeanCos;
                s[5] = q.QZ;
                s[6] = q.QR;
                s[7] = t.AcceptProbability;
                s[8] = t.DeltaH;
            });
        foreach (int part in summary.Parts)
            ctx.OutputRows[$"{U1Dataset.Directory}/{LatticeDatasetWriter.PartFileName(part)}"] = p.Hmc.StoredRows(part);
        ctx.Extra["link_leapfrog_updates_per_second"] = summary.SiteUpdatesPerSecond.ToString("G4", CultureInfo.InvariantCulture);
        ctx.Log.Info($"{ctx.Name}: {unit.Label}: {summary.SiteUpdatesPerSecond / 1e6:F1} M link-leapfrog updates/s");
    }

    /// <summary>Every beta's parts and summaries, then the observables from the whole dataset.</summary>
    protected override async Task GatherAsync(StageContext ctx, U1HmcParameters p, IReadOnlyList<ShardArtifact> units)
    {
        ShardOutputs.CopyAll(ctx, units);
        var points = Points(p);
        var pointBeta = points.Select(pt => pt.Index / p.NLf.Length).ToList();
        var pointPair = points.Select(pt => pt.Index % p.NLf.Length).ToList();
        var dataset = Path.Combine(ctx.WorkDirectory, U1Dataset.Directory);
        var estimates = await U1Estimates.ComputeAsync(dataset, p, pointBeta, pointPair, ctx.Cancellation);
        long bytes = LatticeDatasetWriter.CompletedParts(dataset).Sum(i => new FileInfo(Path.Combine(dataset, LatticeDatasetWriter.PartFileName(i))).Length);
        ctx.Extra["dataset_bytes_per_float32"] = (bytes / ((double)estimates.Rows * new Lattice2D(p.L, p.L).LinkCount)).ToString("G4", CultureInfo.InvariantCulture);
        ctx.WriteTable(U1Estimates.ObservablesTable, estimates.Observables);
        ctx.WriteTable(U1Estimates.HistoryTable, estimates.History);
    }

    private static Dictionary<string, string> Metadata(StageContext ctx, U1HmcParameters p) => new()
    {
        ["model"] = "u1",
        ["action"] = "S = beta sum_P (1 - cos x_P), x_P(n) = x_0(n) + x_1(n+e0) - x_0(n+e1) - x_1(n)",
        ["link_order"] = "mu*V + x*L + t, angles in (-pi, pi]",
        ["charge"] = "Q_Z = (1/2pi) sum_P wrap(x_P), wrap to (-pi, pi]; Q_R = (1/2pi) sum_P sin x_P",
        ["l"] = p.L.ToString(CultureInfo.InvariantCulture),
        ["sampler"] = $"hmc/{p.Hmc.Integrator}",
        ["sampler_settings"] = JsonSerializer.Serialize(p, JsonDefaults.Indented),
        ["seed"] = ctx.Seed.ToString(CultureInfo.InvariantCulture),
        ["stage"] = ctx.Name,
    };
}
