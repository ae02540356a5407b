using System.Globalization;
using Boltzmann.Estimators;
using Boltzmann.Flows;
using Boltzmann.Flows.Persistence;
using Boltzmann.Learning.Symmetry;
using Boltzmann.Learning.Models;
using Boltzmann.Learning.Runtime;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Physics.Sk;
using Boltzmann.Physics.SpinGlass;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Exact;
using Boltzmann.Stages.Sk.Instances;
using Boltzmann.Stages.Sk.Pt;
using Boltzmann.Data.Tables;
using Boltzmann.Random;
using Boltzmann.Statistics;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Stages.SkFlow.Evaluation;

/// <summary>
/// Evaluates trained RealNVP flows of the SK continuous relaxation (Hartnett &amp; Mohseni 2020, sections 4-5) against
/// parallel tempering and, for small N, exact enumeration. Every density estimator is a generic one from
/// Boltzmann.Estimators that sees only ln p~(x) = -beta H_beta(x) (eq. 3) and ln q(x):
/// <list type="bullet">
/// <item>NIS ln Z_x with its error and O(1/N) bias correction, converted to ln Z_s by eq. 4; free energies.</item>
/// <item>Gibbs G_x (eq. 16) vs Helmholtz F_x and the reverse KL = beta (G_x - F_x) (Fig. 2b), F_x from exact
/// enumeration, else the replica-symmetric F_s for T &gt; T_c = J, else thermodynamic integration of the PT energies
/// anchored at the ladder's highest temperature; the reverse-KL bound check (eq. 18).</item>
/// <item>Forward loss (eq. 19), Shannon entropy H[p(x)] and forward KL (eq. 20, Fig. 3b) from PT samples mapped to x
/// by p(x|s) (eq. 6); reverse and forward ESS/N; the mode-dropping estimator; neural MCMC acceptance and tau_int.</item>
/// <item>Spin-glass observables of spins drawn by p(s|x) (eq. 7, footnote 4): P_J(q) between independent samples for
/// PT and every flow (Fig. 4), a total-variation mode-collapse score, site magnetisations (section 4.4), triangles of
/// low-energy states (Fig. 5) and the layer-wise P(q) and triangles of the partial flows G^(l) (Figs. 6, 7).</item>
/// </list>
/// Reverse-KL flows are evaluated with the Z2-symmetrised density they were trained with (appendix A.1) for every
/// density estimator; their spin-glass observables use samples of the flow G itself, as in the paper (a symmetrised
/// sample is a flow sample with a random global sign, which would hide the site magnetisations of section 4.4).
/// </summary>
public sealed class SkFlowEvaluateStage : StageKind<SkFlowEvaluateParameters>
{
    public const string KindName = "sk-flow-evaluate";
    public const string TrainKind = "sk-flow-train";
    public const string FlowsTable = "evaluation/flows";
    public const string ReferencesTable = "evaluation/references";
    public const string OverlapTable = "evaluation/overlap";
    public const string SpinGlassTable = "evaluation/spin_glass";
    public const string SitesTable = "evaluation/sites";
    public const string TrianglesTable = "evaluation/triangles";
    public const string LossesTable = "evaluation/losses";
    public static readonly string[] FlowRoles = ["forward", "reverse", "online"];

    public override string Kind => KindName;
    // 2: flows evaluated with the half-width coupling conditioners (last-bit changes, same function).
    // 3: reads the version-2 RealNvp checkpoints (compact conditioners; last-bit changes, same function).
    public override int Version => 3;
    public override StagePhase Phase => StagePhase.Evaluate;
    public override string Description => "trained SK flows vs PT/exact: NIS ln Z, Gibbs vs Helmholtz, KL both ways, ESS, NMCMC, P(q), magnetisation, triangles, layer-wise";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("forward", [TrainKind], Required: false, "flows trained by forward KL on a fixed PT dataset"),
        new("reverse", [TrainKind], Required: false, "flows trained by reverse KL"),
        new("online", [TrainKind], Required: false, "flows trained by online forward KL"),
        new("instances", [SkInstancesStage.KindName]),
        new("samples", [SkParallelTemperingStage.KindName], Description: "the PT reference"),
        new("exact", [SkExactStage.KindName], Required: false, "exact enumeration (small N)"),
    ];

    protected override SkFlowEvaluateParameters Parse(ParameterReader r) => SkFlowEvaluateParameters.Read(r);

    protected override void Validate(SkFlowEvaluateParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var roles = FlowRoles.Where(upstream.ContainsKey).ToList();
        if (roles.Count == 0) r.Error("upstream", "no trained flows: give at least one of the upstream roles forward, reverse, online (sk-flow-train stages)");
        string instances = upstream["instances"].Name;
        foreach (var role in roles)
        {
            var train = upstream[role];
            if (train.Upstream.TryGetValue("instances", out var ti) && ti != instances)
                r.Error("upstream", $"upstream {role} = \"{train.Name}\" trains on instances \"{ti}\" but this stage evaluates instances \"{instances}\"");
            if (train.Upstream.TryGetValue("samples", out var ts) && ts != upstream["samples"].Name)
                r.Error("upstream", $"upstream {role} = \"{train.Name}\" learned from PT samples \"{ts}\" but the PT reference here is \"{upstream["samples"].Name}\"");
        }
        var pt = UpstreamParameters<SkPtParameters>(upstream["samples"]);
        if (upstream["samples"].Upstream["instances"] != instances)
            r.Error("upstream", $"upstream samples = \"{upstream["samples"].Name}\" simulates instances \"{upstream["samples"].Upstream["instances"]}\", not \"{instances}\"");
        if (pt.Chains < 2)
            r.Error("upstream", $"upstream samples = \"{upstream["samples"].Name}\" has chains = {pt.Chains}; P(q) between independent replicas needs chains >= 2");
        if (upstream.TryGetValue("exact", out var ex) && ex.Upstream["instances"] != instances)
            r.Error("upstream", $"upstream exact = \"{ex.Name}\" enumerates instances \"{ex.Upstream["instances"]}\", not \"{instances}\"");
        if (p.Blocks > pt.Samples / 2)
            r.Error("blocks", $"value {p.Blocks} is larger than the data allows: upstream \"{upstream["samples"].Name}\" has samples = {pt.Samples}; must be <= samples / 2");
    }

    protected override async Task RunAsync(StageContext ctx, SkFlowEvaluateParameters p)
    {
        var device = TorchDevice.Resolve(ctx.Device);
        var instancesArtifact = ctx.Input("instances");
        var instParams = instancesArtifact.Parameters<SkInstancesParameters>();
        double jScale = instParams.CouplingsFile is null ? instParams.J : 1.0;
        var entries = SkInstanceStore.Entries(instancesArtifact);
        var flows = new List<(UpstreamArtifact Artifact, TrainedFlow Flow)>();
        foreach (var role in FlowRoles.Where(ctx.Upstream.ContainsKey))
        {
            var art = ctx.Upstream[role];
            foreach (var f in TrainedFlowIndex.Read(art))
            {
                if (f.Instance < 0 || f.Instance >= entries.Count)
                    throw new StageInputException($"{art.PathOf(TrainedFlowIndex.FileName)}: flow for instance {f.Instance}, but \"{instancesArtifact.Stage.Name}\" has {entries.Count} instances");
                if (f.N != entries[f.Instance].N)
                    throw new StageInputException($"{art.PathOf(TrainedFlowIndex.FileName)}: flow has N = {f.N}, instance {f.Instance} has N = {entries[f.Instance].N}");
                flows.Add((art, f));
            }
        }
        flows = flows.OrderBy(f => f.Flow.Instance).ThenBy(f => f.Flow.Temperature).ThenBy(f => f.Flow.Objective).ToList();

        var triangleT = new Dictionary<int, double>();
        foreach (var g in flows.GroupBy(f => f.Flow.Instance))
            triangleT[g.Key] = p.TriangleTemperature ?? g.Min(f => f.Flow.Temperature);

        var samples = ctx.Input("samples");
        var ladder = samples.Parameters<SkPtParameters>().Ladder.ToLadder().Temperatures.ToArray();
        bool Keep(int instance, int slot) =>
            flows.Any(f => f.Flow.Instance == instance && Same(f.Flow.Temperature, ladder[slot]))
            || (triangleT.TryGetValue(instance, out var tt) && Same(tt, ladder[slot]));
        var pt = await PtReference.LoadAsync(samples, Keep, p.PtSamples, p.Blocks, ctx);
        bool haveExact = ctx.Upstream.ContainsKey("exact");

        var tables = new Tables();
        var cache = new Dictionary<int, InstanceReference>();
        InstanceReference Reference(int i)
        {
            if (cache.TryGetValue(i, out var r)) return r;
            r = BuildReference(ctx, i, SkInstanceStore.Load(instancesArtifact, entries[i]), pt, haveExact, jScale, p, tables, triangleT.GetValueOrDefault(i, double.NaN));
            cache[i] = r;
            return r;
        }

        using var progress = ctx.Progress.Start($"{ctx.Name}: evaluate flows", flows.Count, "flows");
        for (int index = 0; index < flows.Count; index++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            var (art, flow) = flows[index];
            var reference = Reference(flow.Instance);
            EvaluateFlow(ctx, p, device, index, art, flow, reference, pt, jScale, tables, triangleT[flow.Instance]);
            progress.Increment();
        }
        tables.WriteAll(ctx);
        await Task.CompletedTask;
    }

    /// <summary>Reference quantities of one instance: exact enumeration, PT P(q), TI ln Z_s on the ladder.</summary>
    private sealed class InstanceReference
    {
        public required SkInstance Instance { get; init; }
        public SkExactEnumeration? Exact { get; init; }
        public Dictionary<int, OverlapDistribution> PtOverlap { get; } = [];
        public Dictionary<int, Estimate> Ti { get; } = [];
        public Dictionary<int, EnergyMoments> Moments { get; } = [];
    }

    private static InstanceReference BuildReference(StageContext ctx, int i, SkInstance instance, PtReference pt, bool haveExact, double j,
                                                    SkFlowEvaluateParameters p, Tables tables, double triangleT)
    {
        var exact = haveExact && instance.N <= SkExactEnumeration.MaxN ? new SkExactEnumeration(instance) : null;
        var r = new InstanceReference { Instance = instance, Exact = exact };
        int n = instance.N;
        // Thermodynamic integration over the whole ladder, anchored at the highest temperature.
        var slots = Enumerable.Range(0, pt.Temperatures.Count).Where(k => pt.Slot(i, k) is not null).OrderByDescending(k => pt.Temperatures[k]).ToList();
        foreach (var k in slots) r.Moments[k] = pt.Moments(i, k);
        IReadOnlyList<ThermodynamicIntegrationPoint>? ti = null;
        try
        {
            var anchor = HighTemperatureLnZ.Anchor(instance, 1 / pt.Temperatures[slots[0]]);
            ti = ThermodynamicIntegration.Integrate(slots.Select(k => r.Moments[k]).ToList(), anchor);
            for (int a = 0; a < slots.Count; a++) r.Ti[slots[a]] = ti[a].ToEstimate();
        }
        catch (ArgumentException e)
        {
            ctx.Log.Warn($"{ctx.Name}: instance {i}: no thermodynamic-integration reference ({e.Message})");
        }
        for (int a = 0; a < slots.Count; a++)
        {
            int k = slots[a];
            double t = pt.Temperatures[k], beta = 1 / t;
            var m = r.Moments[k];
            double exactLnZ = double.NaN, exactE = double.NaN;
            if (exact is not null)
            {
                var th = exact.AtTemperature(t, includeOverlap: false);
                exactLnZ = th.LnZ;
                exactE = th.MeanEnergyPerSpin;
            }
            var rs = beta * j < 1 ? HighTemperatureLnZ.ReplicaSymmetric(n, beta, j) : new Estimate(double.NaN, double.NaN, double.NaN, double.NaN, 0);
            tables.References.Set("instance", i).Set("n", n).Set("temperature", t).Set("beta", beta)
                .Set("pt_energy", m.Energy.Mean / n).Set("pt_energy_err", m.Energy.StdError / n)
                .Set("pt_energy_variance", m.Variance.Mean).Set("pt_energy_variance_err", m.Variance.StdError)
                .Set("exact_energy", exactE)
                .Set("ln_zs_exact", exactLnZ)
                .Set("ln_zs_ti", ti?[a].LnZ ?? double.NaN).Set("ln_zs_ti_err", ti?[a].StdError ?? double.NaN)
                .Set("ln_zs_ti_stat_err", ti?[a].StatisticalError ?? double.NaN).Set("ln_zs_ti_quadrature_err", ti?[a].QuadratureError ?? double.NaN)
                .Set("z_ti_exact", ti is null || exact is null ? double.NaN : (ti[a].LnZ - exactLnZ) / ti[a].StdError)
                .Set("ln_zs_rs", rs.Mean).Set("ln_zs_rs_err", rs.StdError)
                .EndRow();

            var slot = pt.Slot(i, k)!;
            if (!slot.KeepSpins) continue;
            // PT spin-glass observables at the temperatures flows were trained at.
            var overlap = pt.Overlap(i, k, p.Blocks);
            r.PtOverlap[k] = overlap;
            tables.AddOverlap(i, t, EvaluationSource.ParallelTempering, -1, false, overlap);
            if (exact is not null)
            {
                var th = exact.AtTemperature(t, includeOverlap: true);
                var ex = new OverlapDistribution(n, th.OverlapDistribution, new double[n + 1], 0, new Estimate(th.MeanQ2, 0, double.NaN, double.NaN, 0), new Estimate(double.NaN, 0, double.NaN, double.NaN, 0));
                tables.AddOverlap(i, t, EvaluationSource.Exact, -1, false, ex);
            }
            var (spins, energies) = pt.Configurations(i, k);
            var mag = Magnetization(spins, n, p.Blocks);
            tables.AddSites(i, t, EvaluationSource.ParallelTempering, mag);
            TriangleStatistics? tri = null;
            if (Same(t, triangleT))
            {
                var rng = ctx.Stream("triangles/pt", i);
                tri = UltrametricTriangles.Analyze(spins, n, energies, p.LowEnergyFraction, p.TriangleTolerance, p.TriangleOverlap == "absolute", ref rng);
                tables.AddTriangles(i, t, EvaluationSource.ParallelTempering, -1, false, tri, p.TrianglePoints);
            }
            var self = OverlapComparison.Compute(overlap, overlap, p.TvBins);
            tables.AddSpinGlass(i, t, EvaluationSource.ParallelTempering, -1, false, overlap, new OverlapComparison(0, 0, self.NoiseFloor), mag, tri);
        }
        return r;
    }

    private static void EvaluateFlow(StageContext ctx, SkFlowEvaluateParameters p, Device device, int index, UpstreamArtifact art, TrainedFlow f,
                                     InstanceReference reference, PtReference pt, double j, Tables tables, double triangleT)
    {
        var instance = reference.Instance;
        int n = instance.N;
        double t = f.Temperature, beta = 1 / t;
        var relaxation = new SkContinuousRelaxation(instance, beta, f.Epsilon);
        using var flow = RealNvpCheckpoint.Load(art.PathOf(f.Checkpoint), device);
        bool symmetric = f.Objective == FlowObjective.Reverse && p.SymmetrizeReverse;
        var z2 = symmetric ? new Z2Symmetrized(flow) : null;
        IExactSampler model = z2 is null ? flow : z2;
        int source = EvaluationSource.Of(f.Objective);
        bool triangles = Same(t, triangleT);
        using var noGrad = torch.no_grad();

        // --- M fresh samples of the flow ---
        int m = p.Samples;
        var logTarget = new double[m];
        var logQ = new double[m];
        var spinsAll = triangles ? new sbyte[m * n] : null;
        var energies = new double[m];
        var overlap = new OverlapHistogram(n, m / 2);
        var mag = new SiteMagnetization(n, Math.Max(1, m / p.Blocks));
        var mcmc = new NeuralMcmcChain(ctx.Stream("nmcmc", index), 1);
        var spinRng = ctx.Stream("s-given-x", index);
        using var generator = new Generator(ctx.Stream("flow-samples", index).NextUInt64(), device);
        var xs = new double[p.Batch * n];
        var sym = symmetric ? new double[p.Batch * n] : xs;
        var spins = new sbyte[p.Batch * n];
        var symSpins = symmetric ? new sbyte[p.Batch * n] : spins;
        for (int start = 0; start < m; start += p.Batch)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            int b = Math.Min(p.Batch, m - start);
            using var scope = torch.NewDisposeScope();
            var (x, lq) = flow.Sample(b, generator);
            var raw = Doubles(x);
            raw.CopyTo(xs, 0);
            if (symmetric)
            {
                (var flipped, lq) = z2!.Flip(x, generator);
                Doubles(flipped).CopyTo(sym, 0);
                relaxation.LogUnnormalizedDensities(sym.AsSpan(0, b * n), logTarget.AsSpan(start, b));
            }
            else relaxation.LogUnnormalizedDensities(xs.AsSpan(0, b * n), logTarget.AsSpan(start, b));
            Doubles(lq).CopyTo(logQ, start);
            relaxation.SampleSGivenX(xs.AsSpan(0, b * n), spins.AsSpan(0, b * n), ref spinRng);
            var e = new double[b];
            for (int r = 0; r < b; r++) e[r] = instance.Energy(spins.AsSpan(r * n, n));
            e.CopyTo(energies, start);
            overlap.AddDisjointPairs(spins.AsSpan(0, b * n));
            mag.AddRows(spins.AsSpan(0, b * n));
            if (spinsAll is not null) spins.AsSpan(0, b * n).CopyTo(spinsAll.AsSpan(start * n));
            // The chain moves on the model's x (flipped for q_sym); its carried observable is H(s)/N of s ~ p(s|x) drawn
            // at that same x, so the joint (x, s) chain has the exact Boltzmann marginal for s (with or without a field).
            var perSpin = new double[b];
            if (symmetric)
            {
                relaxation.SampleSGivenX(sym.AsSpan(0, b * n), symSpins.AsSpan(0, b * n), ref spinRng);
                for (int r = 0; r < b; r++) perSpin[r] = instance.Energy(symSpins.AsSpan(r * n, n)) / n;
            }
            else for (int r = 0; r < b; r++) perSpin[r] = e[r] / n;
            mcmc.Feed(logTarget.AsSpan(start, b), logQ.AsSpan(start, b), perSpin);
        }

        // --- Free energies and the reverse KL ---
        var lnZx = NeuralImportanceSampling.LnZ(logTarget, logQ);
        double shift = relaxation.LnZxMinusLnZs;
        var compare = VariationalFreeEnergy.Compare(logTarget, logQ, beta);
        int slot = pt.SlotOf(t);
        double exactLnZs = reference.Exact?.AtTemperature(t, includeOverlap: false).LnZ ?? double.NaN;
        var ti = slot >= 0 && reference.Ti.TryGetValue(slot, out var tiv) ? tiv : new Estimate(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        Estimate refLnZs;
        int method;
        if (!double.IsNaN(exactLnZs)) { refLnZs = new Estimate(exactLnZs, 0, double.NaN, double.NaN, 0); method = EvaluationSource.ReferenceExact; }
        else if (beta * j < 1) { refLnZs = HighTemperatureLnZ.ReplicaSymmetric(n, beta, j); method = EvaluationSource.ReferenceReplicaSymmetric; }
        else if (!double.IsNaN(ti.Mean)) { refLnZs = ti; method = EvaluationSource.ReferenceThermodynamicIntegration; }
        else { refLnZs = new Estimate(double.NaN, double.NaN, double.NaN, double.NaN, 0); method = EvaluationSource.ReferenceNone; }
        var refLnZx = refLnZs with { Mean = relaxation.LnZxFromLnZs(refLnZs.Mean) };
        bool hasRef = double.IsFinite(refLnZx.Mean);
        var fRef = hasRef ? refLnZx with { Mean = -refLnZx.Mean / beta, StdError = refLnZx.StdError / beta } : refLnZx;
        var klReverse = hasRef ? VariationalFreeEnergy.ReverseKlFromFreeEnergy(logTarget, logQ, beta, fRef) : Nan();
        double boundSigma = hasRef ? VariationalFreeEnergy.CheckBound(logTarget, logQ, refLnZx).MarginInSigma : double.NaN;
        var essReverse = EffectiveSampleSize.Reverse(logTarget, logQ);
        var nm = mcmc.Summarize(Math.Min(100, m / 10));

        // --- Forward direction: PT samples mapped to x by p(x|s) ---
        Estimate forwardLoss = Nan(), entropy = Nan(), klForward = Nan(), essForward = Nan(), modeDrop = Nan();
        int ptRows = 0;
        Estimate ptEnergy = Nan();
        if (slot >= 0 && pt.Slot(f.Instance, slot) is { KeepSpins: true })
        {
            var (ptSpins, _) = pt.Configurations(f.Instance, slot);
            ptRows = ptSpins.Length / n;
            var xRng = ctx.Stream("x-given-s", index);
            var ptLogTarget = new double[ptRows];
            var ptLogQ = new double[ptRows];
            var ptX = new double[p.Batch * n];
            // Batches keep memory at one batch of x (the PT set can hold 10^5 configurations of N = 256).
            for (int start = 0; start < ptRows; start += p.Batch)
            {
                ctx.Cancellation.ThrowIfCancellationRequested();
                int b = Math.Min(p.Batch, ptRows - start);
                var xb = ptX.AsSpan(0, b * n);
                relaxation.SampleXGivenS(ptSpins.AsSpan(start * n, b * n), xb, ref xRng);
                relaxation.LogUnnormalizedDensities(xb, ptLogTarget.AsSpan(start, b));
                using var scope = torch.NewDisposeScope();
                var xt = torch.tensor(xb.ToArray(), [b, n]).to_type(flow.Dtype).to(device);
                Doubles(model.LogProb(xt)).CopyTo(ptLogQ, start);
            }
            var fk = ForwardKullbackLeibler.FromTargetSamples(ptLogTarget, ptLogQ, hasRef ? refLnZx : new Estimate(0, 0, double.NaN, double.NaN, 0));
            forwardLoss = fk.CrossEntropy;
            if (hasRef) { entropy = fk.Entropy; klForward = fk.Divergence; }
            essForward = EffectiveSampleSize.Forward(ptLogTarget, ptLogQ);
            modeDrop = ModeDropping.MeanNormalizedWeight(logTarget, logQ, ptLogTarget, ptLogQ);
            var mo = reference.Moments[slot];
            ptEnergy = mo.Energy with { Mean = mo.Energy.Mean / n, StdError = mo.Energy.StdError / n };
        }

        // --- Spin-glass observables of the full flow ---
        var pq = overlap.Result(p.Blocks);
        tables.AddOverlap(f.Instance, t, source, flow.LayerCount, false, pq);
        var magnetization = mag.Result();
        tables.AddSites(f.Instance, t, source, magnetization);
        var tv = slot >= 0 && reference.PtOverlap.TryGetValue(slot, out var ptq) ? OverlapComparison.Compute(pq, ptq, p.TvBins) : new OverlapComparison(double.NaN, double.NaN, double.NaN);
        TriangleStatistics? tri = null;
        if (spinsAll is not null)
        {
            var rng = ctx.Stream("triangles/flow", index);
            tri = UltrametricTriangles.Analyze(spinsAll, n, energies, p.LowEnergyFraction, p.TriangleTolerance, p.TriangleOverlap == "absolute", ref rng);
            tables.AddTriangles(f.Instance, t, source, flow.LayerCount, false, tri, p.TrianglePoints);
        }
        tables.AddSpinGlass(f.Instance, t, source, flow.LayerCount, false, pq, tv, magnetization, tri);

        // --- Layer-wise analysis of the partial flows G^(l), l = 0..L (Figs. 6, 7) ---
        if (p.LayerSamples > 0) Layers(ctx, p, device, index, f.Instance, flow, relaxation, instance, reference, slot, source, t, triangles, tables);

        var exactE = reference.Exact?.AtTemperature(t, includeOverlap: false).MeanEnergyPerSpin ?? double.NaN;
        tables.Flows.Set("instance", f.Instance).Set("n", n).Set("temperature", t).Set("beta", beta).Set("objective", (int)f.Objective)
            .Set("source", source).Set("steps", f.Steps).Set("train_wall_seconds", f.WallSeconds).Set("final_loss", f.FinalLoss).Set("samples", m)
            .Set("symmetrized", symmetric ? 1 : 0)
            .Set("ln_zx", lnZx.BiasCorrected).Set("ln_zx_err", lnZx.StdError).Set("ln_zx_bias", lnZx.Bias)
            .Set("ln_zs", lnZx.BiasCorrected - shift).Set("ln_zs_err", lnZx.StdError)
            .Set("f_s", -(lnZx.BiasCorrected - shift) / (beta * n)).Set("f_s_err", lnZx.StdError / (beta * n))
            .Set("gibbs_x", compare.Gibbs.Mean).Set("gibbs_x_err", compare.Gibbs.StdError)
            .Set("helmholtz_x_nis", compare.Helmholtz.BiasCorrected).Set("helmholtz_x_nis_err", compare.Helmholtz.StdError)
            .Set("kl_reverse_nis", compare.ReverseKl.Mean).Set("kl_reverse_nis_err", compare.ReverseKl.StdError)
            .Set("ref_method", method).Set("ln_zs_ref", refLnZs.Mean).Set("ln_zs_ref_err", refLnZs.StdError)
            .Set("helmholtz_x_ref", fRef.Mean).Set("helmholtz_x_ref_err", fRef.StdError)
            .Set("kl_reverse", klReverse.Mean).Set("kl_reverse_err", klReverse.StdError).Set("bound_sigma", boundSigma)
            .Set("ln_zs_exact", exactLnZs).Set("ln_zs_ti", ti.Mean).Set("ln_zs_ti_err", ti.StdError)
            .Set("z_nis_exact", double.IsNaN(exactLnZs) ? double.NaN : (lnZx.BiasCorrected - shift - exactLnZs) / lnZx.StdError)
            .Set("pt_samples", ptRows)
            .Set("forward_loss", forwardLoss.Mean).Set("forward_loss_err", forwardLoss.StdError)
            .Set("entropy_x", entropy.Mean).Set("entropy_x_err", entropy.StdError)
            .Set("kl_forward", klForward.Mean).Set("kl_forward_err", klForward.StdError)
            .Set("ess_reverse", essReverse.Mean).Set("ess_reverse_err", essReverse.StdError)
            .Set("ess_forward", essForward.Mean).Set("ess_forward_err", essForward.StdError)
            .Set("mode_dropping", modeDrop.Mean).Set("mode_dropping_err", modeDrop.StdError)
            .Set("nmcmc_acceptance", nm.AcceptanceRate.Mean).Set("nmcmc_acceptance_err", nm.AcceptanceRate.StdError)
            .Set("nmcmc_energy", nm.Observables[0].Mean).Set("nmcmc_energy_err", nm.Observables[0].StdError)
            .Set("nmcmc_energy_tau", nm.Observables[0].TauInt).Set("nmcmc_energy_tau_err", nm.Observables[0].TauIntError)
            .Set("flow_energy", energies.Average() / n)
            .Set("pt_energy", ptEnergy.Mean).Set("pt_energy_err", ptEnergy.StdError).Set("exact_energy", exactE)
            .Set("q2", pq.MeanQ2.Mean).Set("q2_err", pq.MeanQ2.StdError)
            .Set("tv_pt", tv.Distance).Set("tv_pt_err", tv.StdError).Set("tv_noise", tv.NoiseFloor)
            .Set("collapse", magnetization.CollapseIndicator.Mean).Set("collapse_err", magnetization.CollapseIndicator.StdError)
            .Set("mean_abs_m", magnetization.MeanAbsolute)
            .EndRow();

        // --- Loss curves, for the figures ---
        tables.AddLosses(ctx, art, f);
    }

    private static void Layers(StageContext ctx, SkFlowEvaluateParameters p, Device device, int index, int inst, RealNvp flow, SkContinuousRelaxation relaxation,
                               SkInstance instance, InstanceReference reference, int slot, int source, double t, bool triangles, Tables tables)
    {
        int n = instance.N, layers = flow.LayerCount, m = p.LayerSamples;
        var hist = Enumerable.Range(0, layers + 1).Select(_ => new OverlapHistogram(n, m / 2)).ToArray();
        var spinsAll = triangles ? Enumerable.Range(0, layers + 1).Select(_ => new sbyte[m * n]).ToArray() : null;
        var energies = triangles ? Enumerable.Range(0, layers + 1).Select(_ => new double[m]).ToArray() : null;
        var rng = ctx.Stream("layers/s-given-x", index);
        using var generator = new Generator(ctx.Stream("layers/flow-samples", index).NextUInt64(), device);
        var spins = new sbyte[p.Batch * n];
        for (int start = 0; start < m; start += p.Batch)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            int b = Math.Min(p.Batch, m - start);
            using var scope = torch.NewDisposeScope();
            using var sampled = flow.SampleLayers(b, generator);
            for (int l = 0; l <= layers; l++)
            {
                var z = Doubles(sampled.States[l]);
                relaxation.SampleSGivenX(z, spins.AsSpan(0, b * n), ref rng);
                hist[l].AddDisjointPairs(spins.AsSpan(0, b * n));
                if (spinsAll is not null)
                {
                    spins.AsSpan(0, b * n).CopyTo(spinsAll[l].AsSpan(start * n));
                    for (int r = 0; r < b; r++) energies![l][start + r] = instance.Energy(spins.AsSpan(r * n, n));
                }
            }
        }
        for (int l = 0; l <= layers; l++)
        {
            var pq = hist[l].Result(p.Blocks);
            tables.AddOverlap(inst, t, source, l, true, pq);
            var tv = slot >= 0 && reference.PtOverlap.TryGetValue(slot, out var ptq) ? OverlapComparison.Compute(pq, ptq, p.TvBins) : new OverlapComparison(double.NaN, double.NaN, double.NaN);
            TriangleStatistics? tri = null;
            if (spinsAll is not null)
            {
                var trng = ctx.Stream($"layers/triangles/{l}", index);
                tri = UltrametricTriangles.Analyze(spinsAll[l], n, energies![l], p.LowEnergyFraction, p.TriangleTolerance, p.TriangleOverlap == "absolute", ref trng);
                tables.AddTriangles(inst, t, source, l, true, tri, p.TrianglePoints);
            }
            tables.AddSpinGlass(inst, t, source, l, true, pq, tv, null, tri);
        }
    }

    private static SiteMagnetizationResult Magnetization(sbyte[] spins, int n, int blocks)
    {
        int rows = spins.Length / n;
        var acc = new SiteMagnetization(n, Math.Max(1, rows / blocks));
        acc.AddRows(spins);
        return acc.Result();
    }

    private static double[] Doubles(Tensor t)
    {
        using var d = t.detach().to_type(ScalarType.Float64).cpu().contiguous();
        return d.data<double>().ToArray();
    }

    private static Estimate Nan() => new(double.NaN, double.NaN, double.NaN, double.NaN, 0);

    internal static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
}
