using System.Diagnostics;
using System.Globalization;
using Boltzmann.Data.Tables;
using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Persistence;
using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling;
using Boltzmann.Learning.Sampling.L2hmc;
using Boltzmann.Physics.Exact;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Random;
using Boltzmann.Stages.L2hmc.Training;
using Boltzmann.Targets.Lattice;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Stages.L2hmc.Evaluation;

/// <summary>
/// <c>l2hmc-evaluate</c>: at every beta of the training eras, long inference chains (same hot start for every sampler)
/// of plain HMC for every (N_LF, eps) pair, of the trained sampler (evaluated at gamma = 1, i.e. the true target),
/// and of the transfer models (trained at the previous beta, without and with a short retraining). Tables:
/// <c>observables/l2hmc</c> (per beta and sampler: &lt;cos x_P&gt;, &lt;Q_Z^2&gt; against the exact finite-volume values
/// with z-scores, tau_int of Q_Z and Q_R with errors (replica Gamma method, Sokal convention, in trajectories), the
/// cost N_LF x tau_int, the tunnelling rate &lt;|dQ_Z|&gt;, acceptance, wall time), <c>observables/charge-history</c>
/// (Q_Z of chain 0) and <c>observables/layers</c> (Fig. 5: per layer k of the trained sampler, over the traced
/// chains, the plaquette deviation &lt;cos x_P&gt;_k − &lt;cos x_P&gt;_exact, the modified energy H_k − Σ_{k'≤k} ln|J|, Q_R).
/// </summary>
public sealed class L2hmcEvaluateStage : StageKind<L2hmcEvaluateParameters>
{
    public const string KindName = "l2hmc-evaluate";
    public const string ObservablesTable = "observables/l2hmc";
    public const string HistoryTable = "observables/charge-history";
    public const string LayersTable = "observables/layers";
    private static readonly TorchSharp.Scalar One = 1.0.ToScalar();

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Evaluate;
    public override string Description => "trained L2HMC vs HMC grid per beta: tau_int(Q_Z, Q_R), N_LF x tau_int, tunnelling, <cos x_P> and <Q^2> vs exact, per-layer trace, transfer";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("model", [L2hmcTrainStage.KindName], Description: "the trained samplers")];

    protected override L2hmcEvaluateParameters Parse(ParameterReader r) => L2hmcEvaluateParameters.Read(r);

    protected override Task RunAsync(StageContext ctx, L2hmcEvaluateParameters p)
    {
        var model = ctx.Input("model");
        var train = model.Parameters<L2hmcTrainParameters>();
        var device = TorchDevice.Resolve(ctx.Device);
        var dtype = train.Dtype == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        int l = train.L;
        var observables = new TableBuilder();
        var history = new TableBuilder();
        var layers = new TableBuilder();
        using var progress = ctx.Progress.Start(ctx.Name, (long)train.Betas.Length * (p.HmcNLf.Length + 3) - 2, "runs");
        long done = 0;
        for (int e = 0; e < train.Betas.Length; e++)
        {
            double beta = train.Betas[e];
            using var target = new U1Target(l, l, beta, dtype, device);
            using var hot = new Generator(RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/hot-start", e));
            using var u = rand([p.Chains, 2, l, l], dtype: ScalarType.Float64, generator: hot);
            using var init = u.Times(2 * Math.PI).MinusConstant(Math.PI).to(dtype, device);
            for (int j = 0; j < p.HmcNLf.Length; j++)
            {
                var s = RunHmc(target, init, p, p.HmcNLf[j], p.HmcEps[j], RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/hmc", e, j));
                s.AddRow(observables, beta, l, SamplerKind.Hmc, p.HmcNLf[j], p.HmcEps[j]);
                AddHistory(history, s, beta, SamplerKind.Hmc, p.HmcNLf[j]);
                ctx.Log.Info($"{ctx.Name}: beta {beta:G4} HMC N_LF={p.HmcNLf[j]} eps={p.HmcEps[j]:G3}: {s.Seconds:F1} s");
                progress.SetValue(++done);
            }
            var runs = new List<(SamplerKind Kind, string Path)> { (SamplerKind.Trained, L2hmcModels.Trained(e)) };
            if (e > 0)
            {
                runs.Add((SamplerKind.Transfer, L2hmcModels.Trained(e - 1)));
                runs.Add((SamplerKind.TransferRetrained, L2hmcModels.Retrained(e)));
            }
            foreach (var (kind, path) in runs)
            {
                using var sampler = ModuleCheckpoint.Load<L2hmcModelOptions, L2hmcSampler>(model.PathOf(path), o => o.Build(device));
                sampler.eval();
                var (s, state) = RunLearned(sampler, target, init, p, RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/l2hmc", e, (long)kind));
                using (state)
                {
                    double eps = MeanPositionStepSize(sampler);
                    s.AddRow(observables, beta, l, kind, sampler.LeapfrogLayers, eps);
                    AddHistory(history, s, beta, kind, sampler.LeapfrogLayers);
                    if (kind == SamplerKind.Trained) Trace(layers, sampler, target, state, p, beta, l, RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/trace", e));
                }
                ctx.Log.Info($"{ctx.Name}: beta {beta:G4} {kind}: {s.Seconds:F1} s");
                progress.SetValue(++done);
            }
        }
        var meta = new Dictionary<string, string>
        {
            ["sampler_codes"] = "0 = HMC (n_lf, eps), 1 = trained at this beta, 2 = transfer from the previous beta without retraining, 3 = transfer with retrain_steps steps at this beta",
            ["tau_convention"] = "Sokal tau_int = 1/2 + sum rho(t), replica Gamma method (common mean over chains), in trajectories",
            ["lattice"] = $"{l}x{l}",
        };
        ctx.WriteTable(ObservablesTable, observables, meta);
        ctx.WriteTable(HistoryTable, history, meta);
        ctx.WriteTable(LayersTable, layers, meta);
        return Task.CompletedTask;
    }

    private static double[] Host(Tensor t)
    {
        using var d = t.detach().to(ScalarType.Float64).cpu();
        return d.data<double>().ToArray();
    }

    private static void Measure(ChainSeries s, int t, Tensor x, Tensor acceptance)
    {
        using var scope = NewDisposeScope();
        s.Record(t, Host(U1TensorObservables.ChargeZ(x)), Host(U1TensorObservables.ChargeR(x)), Host(U1TensorObservables.AveragePlaquette(x)), Host(acceptance));
    }

    private static ChainSeries RunHmc(U1Target target, Tensor init, L2hmcEvaluateParameters p, int nlf, double eps, ulong seed)
    {
        var clock = Stopwatch.StartNew();
        using var hmc = new TensorHmc(target, new TensorHmcOptions(eps, nlf, WrapCompact: true));
        using var state = hmc.Initialise(init, seed);
        for (int i = 0; i < p.BurnIn; i++) hmc.Step(state).Dispose();
        var s = new ChainSeries(p.Chains, p.Trajectories);
        for (int t = 0; t < p.Trajectories; t++)
        {
            using var step = hmc.Step(state);
            using var scope = NewDisposeScope();
            Measure(s, t, state.Positions, step.DeltaH.neg().exp().clamp_max(One));
        }
        s.Seconds = clock.Elapsed.TotalSeconds;
        return s;
    }

    private static (ChainSeries, L2hmcState) RunLearned(L2hmcSampler sampler, U1Target target, Tensor init, L2hmcEvaluateParameters p, ulong seed)
    {
        var clock = Stopwatch.StartNew();
        var state = sampler.Initialise(init, seed);
        for (int i = 0; i < p.BurnIn; i++) sampler.Step(target, state).Dispose();
        var s = new ChainSeries(p.Chains, p.Trajectories);
        for (int t = 0; t < p.Trajectories; t++)
        {
            using var step = sampler.Step(target, state);
            using var scope = NewDisposeScope();
            Measure(s, t, state.Positions, step.LogAcceptance.exp());
        }
        s.Seconds = clock.Elapsed.TotalSeconds;
        return (s, state);
    }

    private static double MeanPositionStepSize(L2hmcSampler sampler)
    {
        using var noGrad = no_grad();
        double sum = 0;
        for (int k = 0; k < sampler.LeapfrogLayers; k++)
            using (var e = sampler.Layer(k).PositionStepSize()) sum += e.to(ScalarType.Float64).item<double>();
        return sum / sampler.LeapfrogLayers;
    }

    private static void AddHistory(TableBuilder history, ChainSeries s, double beta, SamplerKind kind, int nlf)
    {
        for (int t = 0; t < s.QZ[0].Length; t++)
            history.Set("beta", beta).Set("sampler", (int)kind).Set("n_lf", nlf).Set("trajectory", t).Set("q_z", s.QZ[0][t]).Set("q_r", s.QR[0][t]).EndRow();
    }

    /// <summary>Fig. 5: the equilibrated chains passed forward (d = +) through the layers with fresh momenta.</summary>
    private static void Trace(TableBuilder layers, L2hmcSampler sampler, U1Target target, L2hmcState state, L2hmcEvaluateParameters p, double beta, int l, ulong seed)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = Math.Min(p.TraceChains, state.Chains);
        var x = state.Positions.narrow(0, 0, n);
        using var g = new Generator(seed, x.device);
        var v = randn(x.shape, dtype: x.dtype, device: x.device, generator: g);
        using var proposal = sampler.Integrate(target, x, v, forward: true, trace: true);
        double exact = U1Exact.AveragePlaquette(l, l, beta);
        for (int k = 0; k < proposal.LayerPositions!.Count; k++)
        {
            var xk = proposal.LayerPositions[k];
            var plaq = Host(U1TensorObservables.AveragePlaquette(xk)).Select(c => c - exact).ToArray();
            var energy = Host(L2hmcSampler.Hamiltonian(target, xk, proposal.LayerMomenta![k]).sub(proposal.LayerLogJacobians![k]));
            var qr = Host(U1TensorObservables.ChargeR(xk));
            layers.Set("beta", beta).Set("layer", k).Set("chains", n)
                  .Set("plaquette_deviation", plaq.Average()).Set("plaquette_deviation_sd", Sd(plaq))
                  .Set("modified_energy", energy.Average()).Set("modified_energy_sd", Sd(energy))
                  .Set("q_r", qr.Average()).Set("q_r_sd", Sd(qr)).Set("abs_q_r", qr.Select(Math.Abs).Average())
                  .EndRow();
        }
    }

    private static double Sd(double[] a)
    {
        double m = a.Average();
        return a.Length > 1 ? Math.Sqrt(a.Sum(x => (x - m) * (x - m)) / (a.Length - 1)) : 0;
    }
}
