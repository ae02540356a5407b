using Boltzmann.Targets.Spins;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boltzmann.Autoregressive;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Learning.Runtime;
using Boltzmann.Physics.CurieWeiss;
using Boltzmann.Physics.Sk;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Instances;
using Boltzmann.Data.Tables;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Stages.Arnn.Annealing;

/// <summary>
/// Variational annealing of Biazzo's autoregressive networks and their evaluation (Biazzo 2023, "Results", Figs. 4-5):
/// for every architecture, size N and instance, anneal beta from beta_start to beta_max (<see cref="VariationalAnnealing"/>,
/// checkpointed in the scratch directory so a killed run resumes bit for bit) and evaluate at each temperature the
/// variational and NIS free energies per spin with errors, the reverse ESS and the relative errors against the reference
/// (Curie-Weiss: the exact finite-N free energy; SK: the SK_2RSB network's variational free energy at the same beta, and
/// exact enumeration when N &lt;= exact_max_n), plus P(q) between independent samples at the overlap temperatures (with
/// the exact P(q) for Curie-Weiss and for enumerable SK instances). With zero fields the table also holds the NIS free
/// energy and ESS of the Z2-symmetrised proposal (f_nis_sym, f_nis_sym_err, ess_sym, ess_sym_err; relative differences
/// rel_error_nis_sym against SK_2RSB's symmetrised value and rel_error_nis_sym_exact), NaN when a field is non-zero.
/// Outputs: anneal/free_energy, anneal/overlap, anneal/parameters, check-values (Parquet + CSV) and architectures.json
/// (architecture index -> name; the tables hold numbers only).
/// <para>Sharded: one unit per Hamiltonian (a Curie-Weiss size, an SK instance), annealing every architecture on it; the
/// gather builds the tables, whose references (SK_2RSB, exact values) span architectures.</para>
/// </summary>
public sealed class ArnnAnnealStage : ShardedStageKind<ArnnAnnealParameters>
{
    public const string KindName = "arnn-anneal";
    public const string FreeEnergy = "anneal/free_energy";
    public const string Overlap = "anneal/overlap";
    public const string Parameters = "anneal/parameters";
    public const string CheckValues = "check-values";
    public const string ArchitecturesFile = "architectures.json";

    /// <summary>Upstream roles for SK instances of different sizes (one sk-instances stage each).</summary>
    public static readonly string[] InstanceRoles = ["instances", "instances_2", "instances_3", "instances_4"];

    public override string Kind => KindName;
    // 3: the SK networks' fused branch kernel (float64 results change at rounding level), the host sampler of CW_inf
    // and 1P (another uniform stream), and "dtype": "float32" as an option (docs/arnn-performance.md: SK networks keep
    // the default-profile free energies within error bars in float32, MADE_21 does not, so float64 stays the default).
    // 4: CW_inf and 1P through their fused kernel (vector exp/log in the sampler, a kernel ln Q), and the Curie-Weiss
    // energy from the magnetisation instead of the dense product: results change at rounding level only.
    public override int Version => 4;
    public override StagePhase Phase => StagePhase.Train;
    public override string Description => "variational annealing of autoregressive networks (Biazzo): free energies, NIS, ESS, P(q) vs exact";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
        InstanceRoles.Select(r => new UpstreamSlot(r, [SkInstancesStage.KindName], Required: false, "SK instances (model \"sk\")")).ToList();

    protected override ArnnAnnealParameters Parse(ParameterReader r)
    {
        string model = r.String("model", null, [ArnnAnnealParameters.CurieWeiss, ArnnAnnealParameters.Sk]);
        var sizes = r.OptionalDoubleList("sizes", min: 2, max: 4096);
        int[] n = [];
        if (sizes is not null)
        {
            n = sizes.Select(s => (int)Math.Round(s)).ToArray();
            for (int i = 0; i < sizes.Length; i++)
                if (Math.Abs(sizes[i] - Math.Round(sizes[i])) > 0) r.Error($"sizes[{i}]", $"value {sizes[i].ToString(CultureInfo.InvariantCulture)} is not an integer; sizes must be whole numbers of spins");
            if (n.Distinct().Count() != n.Length) r.Error("sizes", "the list has repeated sizes; each N must appear once");
        }
        double j = r.Double("j", 1.0);
        double h = r.Double("h", 0.0);
        string archText = r.String("architectures");
        var names = archText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var archs = new List<string>();
        foreach (var name in names)
        {
            try { archs.Add(AutoregressiveArchitecture.Parse(name).Name); }
            catch (FormatException e) { r.Error("architectures", e.Message); }
        }
        if (names.Length == 0) r.Error("architectures", "no architecture given; must be a comma-separated list such as \"1P, CW_inf, MADE_22\"");
        if (archs.Distinct().Count() != archs.Count) r.Error("architectures", "an architecture is listed twice");
        double b0 = r.Double("beta_start", 0.1, greaterThan: 0);
        double db = r.Double("beta_step", 0.05, greaterThan: 0);
        double b1 = r.Double("beta_max", 2.0, greaterThan: 0);
        if (b1 < b0) r.Error("beta_max", $"value {b1.ToString(CultureInfo.InvariantCulture)} is below beta_start = {b0.ToString(CultureInfo.InvariantCulture)}; must be >= beta_start");
        int epochs = r.Int("epochs", 1000, min: 1, max: 10_000_000);
        int batch = r.Int("batch", 2000, min: 2, max: 1_000_000);
        double lr = r.Double("learning_rate", 1e-3, greaterThan: 0, max: 1);
        int samples = r.Int("samples", 20_000, min: 2, max: 100_000_000);
        var evaluate = r.OptionalDoubleList("evaluate_betas", greaterThan: 0) ?? [];
        var overlap = r.OptionalDoubleList("overlap_betas", greaterThan: 0, allowEmpty: true) ?? [];
        string dtype = r.String("dtype", "float64", ["float32", "float64"]);
        int exactMaxN = r.Int("exact_max_n", 20, min: 0, max: SkExactEnumeration.MaxN);

        if (b1 >= b0 && db > 0 && b0 > 0)
        {
            var schedule = new AnnealingSchedule(b0, db, b1, Math.Max(1, epochs));
            for (int i = 0; i < evaluate.Length; i++)
                if (schedule.IndexOf(evaluate[i]) < 0) r.Error($"evaluate_betas[{i}]", $"value {evaluate[i].ToString(CultureInfo.InvariantCulture)} is not on the annealing schedule ({Describe(schedule)})");
            for (int i = 0; i < overlap.Length; i++)
                if (schedule.IndexOf(overlap[i]) < 0) r.Error($"overlap_betas[{i}]", $"value {overlap[i].ToString(CultureInfo.InvariantCulture)} is not on the annealing schedule ({Describe(schedule)})");
        }
        if (model == ArnnAnnealParameters.CurieWeiss && sizes is null)
            r.Error("sizes", "required key is missing for model \"curie_weiss\"; must be a list of system sizes N >= 2");
        if (model == ArnnAnnealParameters.Sk)
        {
            if (sizes is not null) r.Error("sizes", "not allowed for model \"sk\": the sizes are those of the upstream instances");
            foreach (var a in archs.Where(a => AutoregressiveArchitecture.Parse(a).RequiresCurieWeiss))
                r.Error("architectures", $"{a} exists only for the Curie-Weiss model; model is \"sk\"");
        }
        return new ArnnAnnealParameters(model, n, j, h, archs.ToArray(), b0, db, b1, epochs, batch, lr, samples,
            evaluate.Distinct().Order().ToArray(), overlap.Distinct().Order().ToArray(), dtype, exactMaxN);
    }

    private static string Describe(AnnealingSchedule s) =>
        $"{s.BetaStart.ToString(CultureInfo.InvariantCulture)} to {s.Betas[^1].ToString(CultureInfo.InvariantCulture)} in steps of {s.BetaStep.ToString(CultureInfo.InvariantCulture)}";

    protected override void Validate(ArnnAnnealParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        if (p.IsCurieWeiss && upstream.Count > 0)
            r.Error("model", $"model \"curie_weiss\" takes no upstream instances; got {string.Join(", ", upstream.Keys)}");
        if (!p.IsCurieWeiss)
        {
            if (!upstream.ContainsKey("instances"))
                r.Error("model", "model \"sk\" needs the upstream input \"instances\" (an sk-instances stage)");
            var ns = upstream.Values.Select(u => UpstreamParameters<SkInstancesParameters>(u).N).ToList();
            if (ns.Distinct().Count() != ns.Count) r.Error("model", $"the upstream instance stages must have different sizes N; got {string.Join(", ", ns)}");
        }
    }

    /// <summary>What one unit (one Hamiltonian: a size N for Curie-Weiss, an SK instance) hands to the gather.</summary>
    /// <param name="Counts">Per architecture: total and trainable parameter counts.</param>
    /// <param name="Evaluations">Per architecture: the evaluations at the evaluated temperatures, in temperature order.</param>
    private sealed record UnitResult(long[][] Counts, StoredEvaluation[][] Evaluations);

    /// <summary>A unit's <see cref="UnitResult"/>; read by the gather, not a stage output.</summary>
    private const string UnitResultFile = "unit-anneal.json";

    /// <summary>
    /// One unit per Hamiltonian, in the order the tables list them (N, then instance): every architecture is annealed on
    /// it in turn, each from streams named after (architecture, N, instance) only.
    /// </summary>
    protected override IReadOnlyList<ShardUnit> Units(ArnnAnnealParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream)
    {
        var hamiltonians = p.IsCurieWeiss
            ? p.Sizes.Select(n => (Role: (string?)null, N: n, Instance: 0))
            : InstanceRoles.Where(upstream.ContainsKey)
                .SelectMany(role => Enumerable.Range(0, UpstreamParameters<SkInstancesParameters>(upstream[role]).Count)
                    .Select(i => (Role: (string?)role, UpstreamParameters<SkInstancesParameters>(upstream[role]).N, Instance: i)));
        return [.. hamiltonians.OrderBy(h => h.N).ThenBy(h => h.Instance)
            .Select((h, index) => new ShardUnit(index, $"n{h.N}-i{h.Instance}",
                new JsonObject { ["role"] = h.Role, ["n"] = h.N, ["instance"] = h.Instance }))];
    }

    private static SkInstance Hamiltonian(StageContext ctx, ArnnAnnealParameters p, ShardUnit unit)
    {
        int n = (int)unit.Canonical["n"]!, instance = (int)unit.Canonical["instance"]!;
        if (p.IsCurieWeiss) return CurieWeissPairwise.Create(n, p.J, p.H);
        var input = ctx.Input((string)unit.Canonical["role"]!);
        var entries = SkInstanceStore.Entries(input);
        if (instance >= entries.Count || entries[instance].N != n)
            throw new StageInputException($"{ctx.Name}: upstream {input.Stage.Name} has no instance {instance} with N = {n}");
        return SkInstanceStore.Load(input, entries[instance]);
    }

    /// <summary>
    /// Runs with one TorchSharp intra-op thread (restored afterwards): the networks' tensors are small (ancestral sampling is
    /// N sequential [batch]-sized steps), and libtorch's spinning worker threads slow such loops by large factors when
    /// another process holds a core (README, "TorchSharp pitfalls"); one thread also keeps results independent of the
    /// machine's core count.
    /// </summary>
    protected override Task RunUnitAsync(StageContext ctx, ArnnAnnealParameters p, ShardUnit unit)
    {
        SingleThreadedTorch.Run(() => ctx.WriteJson(UnitResultFile, Anneal(ctx, p, unit)));
        return Task.CompletedTask;
    }

    private static UnitResult Anneal(StageContext ctx, ArnnAnnealParameters p, ShardUnit unit)
    {
        var device = TorchDevice.Resolve(ctx.Device);
        var schedule = new AnnealingSchedule(p.BetaStart, p.BetaStep, p.BetaMax, p.Epochs);
        var archs = p.Architectures.Select(AutoregressiveArchitecture.Parse).ToArray();
        var evaluate = Evaluated(p, schedule);
        var overlaps = p.OverlapBetas.Select(schedule.IndexOf).ToHashSet();
        int n = (int)unit.Canonical["n"]!, inst = (int)unit.Canonical["instance"]!;
        var ham = Hamiltonian(ctx, p, unit);

        var counts = new long[archs.Length][];
        var evaluations = new StoredEvaluation[archs.Length][];
        for (int a = 0; a < archs.Length; a++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            string tag = $"{archs[a].Name}-n{n}-i{inst}";
            string dir = Path.Combine(ctx.ScratchDirectory, tag);
            var init = new Generator(ctx.Stream($"init/{tag}").NextUInt64(), CPU);
            // CW_N has no learned parameter (it is the exact solution, eqs. 11-14): it stays the float64 exact check.
            var dtype = archs[a].Kind == ArchitectureKind.CwN ? ScalarType.Float64 : p.TrainingDType();
            using var model = archs[a].Create(ham, schedule.Betas[0], device, init, dtype);
            counts[a] = [model.ParameterCount, model.TrainableParameterCount];
            using var energy = new PairwiseSpinTarget(ham, 1.0, device);
            var observer = new StoredEvaluationObserver(Path.Combine(dir, "evaluations"), energy, p.Samples, evaluate, overlaps,
                k => ctx.Stream($"evaluate/{tag}", replica: k).NextUInt64());
            bool trains = model.TrainableParameterCount > 0;
            using (var progress = ctx.Progress.Start($"{ctx.Name}: {archs[a].Name} N={n} instance {inst}",
                       trains ? schedule.TotalSteps : schedule.Count, trains ? "steps" : "temperatures"))
            {
                var options = new VariationalAnnealingOptions(schedule, p.Batch, p.LearningRate, device);
                var run = VariationalAnnealing.Run(model, energy, options, ctx.Stream($"train/{tag}").NextUInt64(),
                    Path.Combine(dir, "checkpoints"), observer, (done, _) => progress.SetValue(done), ctx.Cancellation);
                foreach (var skipped in run.SkippedCheckpoints) ctx.Log.Warn($"{ctx.Name}: {tag}: {skipped}");
                if (run.ResumedFromStep > 0) ctx.Log.Info($"{ctx.Name}: {tag} resumed at step {run.ResumedFromStep}/{run.TotalSteps}");
            }
            evaluations[a] = [.. evaluate.Order().Select(observer.Read)];
        }
        return new UnitResult(counts, evaluations);
    }

    /// <summary>The schedule indices evaluated: every temperature (or the evaluate_betas) and the overlap temperatures.</summary>
    private static HashSet<int> Evaluated(ArnnAnnealParameters p, AnnealingSchedule schedule) =>
        (p.EvaluateBetas.Length == 0 ? Enumerable.Range(0, schedule.Count) : p.EvaluateBetas.Select(schedule.IndexOf))
            .Concat(p.OverlapBetas.Select(schedule.IndexOf)).ToHashSet();

    /// <summary>The tables over every Hamiltonian and architecture, from the units' results (references, exact values, P(q)).</summary>
    protected override Task GatherAsync(StageContext ctx, ArnnAnnealParameters p, IReadOnlyList<ShardArtifact> units)
    {
        var schedule = new AnnealingSchedule(p.BetaStart, p.BetaStep, p.BetaMax, p.Epochs);
        var archs = p.Architectures.Select(AutoregressiveArchitecture.Parse).ToArray();
        var overlaps = p.OverlapBetas.Select(schedule.IndexOf).ToHashSet();
        var hamiltonians = new List<(int N, int Instance, SkInstance H)>();
        var results = new Dictionary<(int A, int N, int I), Dictionary<int, StoredEvaluation>>();
        var counts = new Dictionary<(int A, int N), (long Total, long Trainable)>();
        foreach (var u in units)
        {
            int n = (int)u.Unit.Canonical["n"]!, inst = (int)u.Unit.Canonical["instance"]!;
            hamiltonians.Add((n, inst, Hamiltonian(ctx, p, u.Unit)));
            var result = JsonSerializer.Deserialize<UnitResult>(File.ReadAllText(Path.Combine(u.Directory, UnitResultFile)), JsonDefaults.Indented)
                         ?? throw new InvalidDataException($"{u.Directory}: empty {UnitResultFile}");
            for (int a = 0; a < archs.Length; a++)
            {
                counts[(a, n)] = (result.Counts[a][0], result.Counts[a][1]);
                results[(a, n, inst)] = result.Evaluations[a].ToDictionary(e => e.Index);
            }
        }
        WriteTables(ctx, p, archs, schedule, hamiltonians, results, counts, overlaps);
        return Task.CompletedTask;
    }

    private static void WriteTables(
        StageContext ctx, ArnnAnnealParameters p, AutoregressiveArchitecture[] archs, AnnealingSchedule schedule,
        List<(int N, int Instance, SkInstance H)> hamiltonians, Dictionary<(int A, int N, int I), Dictionary<int, StoredEvaluation>> results,
        Dictionary<(int A, int N), (long Total, long Trainable)> counts, HashSet<int> overlaps)
    {
        int reference = Array.FindIndex(archs, a => a.Name == "SK_2RSB");
        var fe = new TableBuilder();
        var ov = new TableBuilder();
        var checks = new TableBuilder();
        foreach (var (n, inst, ham) in hamiltonians)
        {
            var enumeration = !p.IsCurieWeiss && n <= p.ExactMaxN ? new SkExactEnumeration(ham) : null;
            var exactF = new Dictionary<int, double>();
            var exactP = new Dictionary<int, double[]>();
            foreach (int k in results[(0, n, inst)].Keys)
            {
                double beta = schedule.Betas[k];
                if (p.IsCurieWeiss)
                {
                    var cw = new CurieWeissExact(n, beta, p.J, p.H);
                    exactF[k] = cw.FreeEnergyPerSpin;
                    if (overlaps.Contains(k)) exactP[k] = cw.ComputeOverlapDistribution();
                }
                else if (enumeration is not null)
                {
                    var th = enumeration.AtTemperature(1 / beta, includeOverlap: overlaps.Contains(k));
                    exactF[k] = th.FreeEnergyPerSpin;
                    if (overlaps.Contains(k)) exactP[k] = th.OverlapDistribution;
                }
            }
            for (int a = 0; a < archs.Length; a++)
            {
                var (total, trainable) = counts[(a, n)];
                foreach (var (k, e) in results[(a, n, inst)])
                {
                    double fx = exactF.GetValueOrDefault(k, double.NaN);
                    double fRef = p.IsCurieWeiss ? fx : reference >= 0 ? results[(reference, n, inst)][k].FVariational : double.NaN;
                    double fRefErr = p.IsCurieWeiss || reference < 0 ? 0 : results[(reference, n, inst)][k].FVariationalErr;
                    var (rel, relErr) = Relative(e.FVariational, e.FVariationalErr, fRef, a == reference ? 0 : fRefErr);
                    var (relNis, relNisErr) = Relative(e.FNis, e.FNisErr, fRef, fRefErr);
                    var (relExact, relExactErr) = Relative(e.FVariational, e.FVariationalErr, fx, 0);
                    var (relNisExact, relNisExactErr) = Relative(e.FNis, e.FNisErr, fx, 0);
                    double fRefSym = p.IsCurieWeiss ? fx : reference >= 0 ? results[(reference, n, inst)][k].FNisSym : double.NaN;
                    double fRefSymErr = p.IsCurieWeiss || reference < 0 ? 0 : results[(reference, n, inst)][k].FNisSymErr;
                    var (relSym, relSymErr) = Relative(e.FNisSym, e.FNisSymErr, fRefSym, a == reference ? 0 : fRefSymErr);
                    var (relSymExact, relSymExactErr) = Relative(e.FNisSym, e.FNisSymErr, fx, 0);
                    fe.Set("architecture", a).Set("n", n).Set("instance", inst).Set("temperature_index", k).Set("beta", e.Beta)
                      .Set("f_variational", e.FVariational).Set("f_variational_err", e.FVariationalErr)
                      .Set("f_nis", e.FNis).Set("f_nis_err", e.FNisErr).Set("f_nis_bias", e.FNisBias)
                      .Set("ess", e.Ess).Set("ess_err", e.EssErr).Set("energy", e.Energy).Set("energy_err", e.EnergyErr)
                      .Set("f_nis_sym", e.FNisSym).Set("f_nis_sym_err", e.FNisSymErr).Set("ess_sym", e.EssSym).Set("ess_sym_err", e.EssSymErr)
                      .Set("rel_error_nis_sym", relSym).Set("rel_error_nis_sym_err", relSymErr)
                      .Set("rel_error_nis_sym_exact", relSymExact).Set("rel_error_nis_sym_exact_err", relSymExactErr)
                      .Set("f_reference", fRef).Set("rel_error", rel).Set("rel_error_err", relErr)
                      .Set("rel_error_nis", relNis).Set("rel_error_nis_err", relNisErr)
                      .Set("f_exact", fx).Set("rel_error_exact", relExact).Set("rel_error_exact_err", relExactErr)
                      .Set("rel_error_nis_exact", relNisExact).Set("rel_error_nis_exact_err", relNisExactErr)
                      .Set("parameters", total).Set("trainable_parameters", trainable).Set("samples", e.Samples).EndRow();
                    if (e.Overlap is { } pq)
                    {
                        var px = exactP.GetValueOrDefault(k);
                        for (int d = 0; d <= n; d++)
                            ov.Set("architecture", a).Set("n", n).Set("instance", inst).Set("beta", e.Beta).Set("k", d)
                              .Set("q", 1.0 - 2.0 * d / n).Set("p", pq[d]).Set("p_err", e.OverlapErr![d])
                              .Set("p_exact", px is null ? double.NaN : px[d]).Set("pairs", e.OverlapPairs).EndRow();
                    }
                    if (p.IsCurieWeiss && Math.Abs(e.Beta - PaperCheckValues.Beta) < 1e-9)
                        checks.Set("architecture", a).Set("n", n).Set("beta", e.Beta).Set("j", p.J).Set("h", p.H)
                              .Set("rel_error", rel).Set("rel_error_err", relErr).Set("rel_error_nis", relNis).Set("rel_error_nis_err", relNisErr)
                              .Set("paper_rel_error", p.J == 1.0 && p.H == 0.0 ? PaperCheckValues.RelativeError(archs[a].Name, n) : double.NaN)
                              .Set("epochs", p.Epochs).Set("batch", p.Batch).EndRow();
                }
            }
        }
        var par = new TableBuilder();
        foreach (var ((a, n), (total, trainable)) in counts.OrderBy(kv => kv.Key.A).ThenBy(kv => kv.Key.N))
            par.Set("architecture", a).Set("n", n).Set("parameters", total).Set("trainable_parameters", trainable)
               .Set("fixed_parameters", total - trainable).Set("formula", archs[a].ParameterCount(n)).EndRow();

        var meta = new Dictionary<string, string>
        {
            ["architectures"] = string.Join(",", archs.Select((x, i) => $"{i}:{x.Name}")),
            ["model"] = p.Model,
            ["reference"] = p.IsCurieWeiss ? "exact finite-N Curie-Weiss free energy" : reference >= 0 ? "SK_2RSB variational free energy" : "none",
        };
        // Overlap and check-value tables are empty when no temperature is in range (no beta = 1.3 for the check values).
        ctx.WriteTableIfAny(FreeEnergy, fe, meta);
        ctx.WriteTableIfAny(Overlap, ov, meta);
        ctx.WriteTableIfAny(Parameters, par, meta);
        ctx.WriteTableIfAny(CheckValues, checks, meta);
        ctx.WriteJson(ArchitecturesFile, archs.Select(x => x.Name).ToArray());
        foreach (var line in SummaryLines(archs, fe.Build(), p)) ctx.Log.Info($"{ctx.Name}: {line}");
    }

    /// <summary>(f - f_ref)/|f_ref| with the error of f and of f_ref in quadrature (NaN without a reference).</summary>
    private static (double Value, double Error) Relative(double f, double fErr, double reference, double referenceErr)
    {
        if (!double.IsFinite(reference) || reference == 0) return (double.NaN, double.NaN);
        double a = Math.Abs(reference);
        return ((f - reference) / a, Math.Sqrt(fErr * fErr + referenceErr * referenceErr) / a);
    }

    private static IEnumerable<string> SummaryLines(AutoregressiveArchitecture[] archs, Microsoft.Data.Analysis.DataFrame t, ArnnAnnealParameters p)
    {
        for (long r = 0; r < t.Rows.Count; r++)
        {
            double beta = Convert.ToDouble(t["beta"][r], CultureInfo.InvariantCulture);
            if (Math.Abs(beta - p.BetaMax) > p.BetaStep / 2 && Math.Abs(beta - PaperCheckValues.Beta) > 1e-9) continue;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{archs[(int)t["architecture"][r]].Name} N={t["n"][r]} instance {t["instance"][r]} beta={beta:G4}: f_q={(double)t["f_variational"][r]:G8} rel_error={(double)t["rel_error"][r]:E2} ESS/N={(double)t["ess"][r]:F3}");
        }
    }
}
