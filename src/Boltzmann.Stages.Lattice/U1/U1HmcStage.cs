using System.Globalization;
using System.Text.Json;
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
/// </summary>
public sealed class U1HmcStage : StageKind<U1HmcParameters>
{
    public const string KindName = "u1-hmc";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Generate;
    public override string Description => "2D U(1) Wilson-action HMC over beta and (N_LF, eps) -> Parquet links + <cos x_P>, <Q^2>, tau_int(Q), tunnelling vs exact";

    protected override U1HmcParameters Parse(ParameterReader r) => U1HmcParameters.Read(r);

    protected override async Task RunAsync(StageContext ctx, U1HmcParameters p)
    {
        var lattice = new Lattice2D(p.L, p.L);
        var schema = U1Dataset.Schema(p.L);
        var metadata = new Dictionary<string, string>
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
        var writer = new LatticeDatasetWriter(Path.Combine(ctx.WorkDirectory, U1Dataset.Directory), schema, metadata);
        var points = new List<HmcPoint>();
        var pointBeta = new List<int>();
        var pointPair = new List<int>();
        for (int b = 0; b < p.Betas.Length; b++)
            for (int j = 0; j < p.NLf.Length; j++)
            {
                points.Add(new HmcPoint(points.Count, $"beta-{b:D2}-pair-{j:D2}", p.Hmc.Options(p.Eps[j], p.NLf[j], compact: true)));
                pointBeta.Add(b);
                pointPair.Add(j);
            }
        var scratch = new ThreadLocal<double[]>(() => new double[lattice.Volume]);
        var summary = await HmcSampling.RunAsync<U1WilsonAction>(ctx, p.Hmc, writer, points,
            (pt, _) => new U1WilsonAction(lattice, p.Betas[pointBeta[pt.Index]]),
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
                s[0] = p.Betas[pointBeta[pt.Index]];
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
            ctx.OutputRows[$"{U1Dataset.Directory}/{LatticeDatasetWriter.PartFileName(part)}"] = (long)p.Hmc.Chains * Math.Min(p.Hmc.TrajectoriesPerPart, p.Hmc.Trajectories - part % p.Hmc.PartsPerPoint * p.Hmc.TrajectoriesPerPart) / p.Hmc.Thin;

        var estimates = await U1Estimates.ComputeAsync(writer.DirectoryPath, p, pointBeta, pointPair, ctx.Cancellation);
        long bytes = summary.Parts.Sum(i => new FileInfo(writer.PartPath(i)).Length);
        ctx.Extra["dataset_bytes_per_float32"] = (bytes / ((double)estimates.Rows * lattice.LinkCount)).ToString("G4", CultureInfo.InvariantCulture);
        ctx.Extra["link_leapfrog_updates_per_second"] = summary.SiteUpdatesPerSecond.ToString("G4", CultureInfo.InvariantCulture);
        ctx.WriteTable(U1Estimates.ObservablesTable, estimates.Observables);
        ctx.WriteTable(U1Estimates.HistoryTable, estimates.History);
        ctx.Log.Info($"{ctx.Name}: {summary.SiteUpdatesPerSecond / 1e6:F1} M link-leapfrog updates/s");
    }
}
