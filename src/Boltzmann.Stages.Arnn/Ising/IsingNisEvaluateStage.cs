using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Data.Tables;
using Boltzmann.Learning.Runtime;
using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Lattice;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Statistics;
using Boltzmann.Targets.Spins;
using static TorchSharp.torch;

namespace Boltzmann.Stages.Arnn.Ising;

/// <summary>
/// Neural importance sampling of the 2D Ising model (Nicoli et al., PRE 101, 023304 (2020)): every network saved by
/// <see cref="IsingVanTrainStage"/> draws <c>samples</c> independent configurations at its β, and
/// <see cref="ThermodynamicEvaluation"/> gives the raw variational F[Q]/N, E/N, C/N and the NIS-corrected ones (from the
/// Z2-symmetrised proposal, with delta-method and jackknife errors) plus the reverse ESS/N. The exact finite-lattice
/// values come from Kaufman's formula (<see cref="IsingExact"/>, tested against enumeration and the transfer matrix);
/// z_* = (estimate − exact)/error. Output: ising-nis/thermodynamics (one row per architecture and β; architecture
/// indices as in setup.json).
/// </summary>
public sealed class IsingNisEvaluateStage : StageKind<IsingNisEvaluateParameters>
{
    public const string KindName = "ising-nis-evaluate";
    public const string Table = "ising-nis/thermodynamics";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Evaluate;
    public override string Description => "2D Ising: variational vs NIS F, E, C per site with errors and ESS, against Kaufman's exact values";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("train", [IsingVanTrainStage.KindName]),
        new("train_2", [IsingVanTrainStage.KindName], Required: false, "a second training stage (e.g. another architecture with its own schedule) on the same lattice"),
    ];

    /// <summary>Upstream roles in evaluation order.</summary>
    public static readonly string[] TrainRoles = ["train", "train_2"];

    protected override IsingNisEvaluateParameters Parse(ParameterReader r) => new(r.Int("samples", 20_000, min: 100, max: 100_000_000));

    protected override void Validate(IsingNisEvaluateParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var trains = TrainRoles.Where(upstream.ContainsKey).Select(k => UpstreamParameters<IsingVanTrainParameters>(upstream[k])).ToList();
        if (trains.Select(t => t.L).Distinct().Count() > 1)
            r.Error("samples", $"the upstream training stages are on different lattices (L = {string.Join(", ", trains.Select(t => t.L))}); they must share L");
        var names = trains.SelectMany(t => t.Architectures).ToList();
        if (names.Distinct().Count() != names.Count)
            r.Error("samples", $"an architecture is trained by both upstream stages ({string.Join(", ", names)}); each must appear once");
    }

    protected override Task RunAsync(StageContext ctx, IsingNisEvaluateParameters p)
    {
        SingleThreadedTorch.Run(() => Evaluate(ctx, p));
        return Task.CompletedTask;
    }

    private static void Evaluate(StageContext ctx, IsingNisEvaluateParameters p)
    {
        var device = TorchDevice.Resolve(ctx.Device);
        var trains = TrainRoles.Where(ctx.Upstream.ContainsKey).Select(ctx.Input).ToList();
        var first = trains[0].Parameters<IsingVanTrainParameters>();
        var ising = IsingLatticeCouplings.Square(first.L);
        int n = ising.N;
        using var energy = new PairwiseSpinTarget(ising, 1.0, device);
        var table = new TableBuilder();
        var names = new List<string>();
        foreach (var up in trains)
        {
            var t = up.Parameters<IsingVanTrainParameters>();
            var schedule = t.Schedule;
            foreach (string name in t.Architectures)
            {
                int a = names.Count;
                names.Add(name);
                foreach (int k in t.KeptIndices())
                {
                    ctx.Cancellation.ThrowIfCancellationRequested();
                    double beta = schedule.Betas[k];
                    string path = up.PathOf(IsingVanTrainParameters.SnapshotPath(name, k));
                    if (!File.Exists(path)) throw new StageInputException($"{ctx.Name}: the trained network {path} is missing");
                    using var model = AutoregressiveArchitecture.Parse(name).Create(ising, beta, device);
                    model.load(path);
                    InverseTemperature.Set(model, beta);
                    model.eval();
                    var started = DateTime.UtcNow;
                    var generator = new Generator(ctx.Stream($"evaluate/{name}", replica: k).NextUInt64(), device);
                    var e = ThermodynamicEvaluation.Evaluate(model, energy, z2Symmetric: true, beta, p.Samples, generator);
                    double seconds = (DateTime.UtcNow - started).TotalSeconds;
                    var exact = IsingExact.Evaluate(t.L, t.L, beta);
                    double f = -exact.LnZ / (beta * n);
                    table.Set("architecture", a).Set("l", t.L).Set("temperature_index", k).Set("beta", beta);
                    Put(table, "f_variational", e.FreeEnergyVariational, f);
                    Put(table, "f_nis", e.FreeEnergyNis, f);
                    table.Set("f_nis_bias", e.FreeEnergyNisBias).Set("f_exact", f);
                    Put(table, "e_variational", e.EnergyVariational, exact.EnergyPerSite);
                    Put(table, "e_nis", e.EnergyNis, exact.EnergyPerSite);
                    table.Set("e_exact", exact.EnergyPerSite);
                    Put(table, "c_variational", e.SpecificHeatVariational, exact.SpecificHeatPerSite);
                    Put(table, "c_nis", e.SpecificHeatNis, exact.SpecificHeatPerSite);
                    table.Set("c_exact", exact.SpecificHeatPerSite)
                         .Set("ess", e.EffectiveSampleSize.Mean).Set("ess_err", e.EffectiveSampleSize.StdError)
                         .Set("samples", e.Samples).Set("evaluate_seconds", seconds).EndRow();
                    ctx.Log.Info(FormattableString.Invariant(
                        $"{ctx.Name}: {name} L={t.L} beta={beta:G4}: F_q={e.FreeEnergyVariational.Mean:F6} F_nis={e.FreeEnergyNis.Mean:F6}±{e.FreeEnergyNis.StdError:E1} exact={f:F6}; E_nis={e.EnergyNis.Mean:F5}±{e.EnergyNis.StdError:E1} exact={exact.EnergyPerSite:F5}; C_nis={e.SpecificHeatNis.Mean:F4}±{e.SpecificHeatNis.StdError:E1} exact={exact.SpecificHeatPerSite:F4}; ESS/N={e.EffectiveSampleSize.Mean:F3}"));
                }
            }
        }
        var meta = new Dictionary<string, string>
        {
            ["architectures"] = string.Join(",", names.Select((x, i) => $"{i}:{x}")),
            ["exact"] = "Kaufman finite periodic lattice (IsingExact)",
            ["l"] = first.L.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        ctx.WriteTable(Table, table, meta);
        ctx.WriteJson(IsingNisSetup.File, new IsingNisSetup(first.L, names.ToArray(), trains.Select(u => u.Parameters<IsingVanTrainParameters>().Epochs).ToArray(),
            trains.Select(u => u.Parameters<IsingVanTrainParameters>().Batch).ToArray(), p.Samples));
    }

    /// <summary>Columns X, X_err and z_X = (X − exact)/X_err.</summary>
    private static void Put(TableBuilder table, string column, Estimate e, double exact) =>
        table.Set(column, e.Mean).Set(column + "_err", e.StdError)
             .Set("z_" + column, e.StdError > 0 ? (e.Mean - exact) / e.StdError : double.NaN);
}
