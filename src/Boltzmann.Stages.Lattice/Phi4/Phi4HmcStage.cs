using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
/// </summary>
public sealed class Phi4HmcStage : StageKind<Phi4HmcParameters>
{
    public const string KindName = "phi4-hmc";

    public override string Kind => KindName;
    public override int Version => 2;  // 2: observables/two_point table
    public override StagePhase Phase => StagePhase.Generate;
    public override string Description => "phi^4 (hopping form) HMC over a kappa grid -> Parquet configurations + <|m|>, chi, Binder, S/V, tau_int";

    protected override Phi4HmcParameters Parse(ParameterReader r) => Phi4HmcParameters.Read(r);

    protected override async Task RunAsync(StageContext ctx, Phi4HmcParameters p)
    {
        var lattice = new Lattice2D(p.L, p.T);
        var schema = Phi4Dataset.Schema(p.L, p.T);
        var metadata = new Dictionary<string, string>
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
        var writer = new LatticeDatasetWriter(Path.Combine(ctx.WorkDirectory, Phi4Dataset.Directory), schema, metadata);
        var options = p.Hmc.Options(p.Eps, p.NLf, compact: false);
        var points = p.Kappas.Select((k, i) => new HmcPoint(i, $"kappa-{i:D3}", options)).ToList();
        var actions = p.Kappas.Select(k => new Phi4Action(lattice, k, p.Lambda)).ToArray();

        var summary = await HmcSampling.RunAsync<Phi4Action>(ctx, p.Hmc, writer, points,
            (pt, _) => actions[pt.Index], (_, _) => new double[lattice.Volume],
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
            ctx.OutputRows[$"{Phi4Dataset.Directory}/{LatticeDatasetWriter.PartFileName(part)}"] = (long)p.Hmc.Chains * Math.Min(p.Hmc.TrajectoriesPerPart, p.Hmc.Trajectories - part % p.Hmc.PartsPerPoint * p.Hmc.TrajectoriesPerPart) / p.Hmc.Thin;

        var clock = Stopwatch.StartNew();
        var estimates = await Phi4Estimates.ComputeAsync(writer.DirectoryPath, lattice, p, ctx.Cancellation);
        double readSeconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        long bytes = summary.Parts.Sum(i => new FileInfo(writer.PartPath(i)).Length);
        ctx.Extra["dataset_bytes_per_float32"] = (bytes / (double)estimates.StoredValues).ToString("G4", CultureInfo.InvariantCulture);
        ctx.Extra["dataset_read_and_analyse_float32_per_second"] = (estimates.StoredValues / readSeconds).ToString("G4", CultureInfo.InvariantCulture);
        ctx.WriteTable(Phi4Estimates.ObservablesTable, estimates.Observables);
        ctx.WriteTable(Phi4Estimates.CorrelatorTable, estimates.Correlator);
        ctx.WriteTable(Phi4TwoPoint.Table, estimates.TwoPoint);
        ctx.Log.Info($"{ctx.Name}: {summary.SiteUpdatesPerSecond / 1e6:F1} M site-leapfrog updates/s; dataset {ctx.Extra["dataset_bytes_per_float32"]} B per float32");
    }
}
