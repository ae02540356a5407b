using Boltzmann.Flows;
using Boltzmann.Flows.Persistence;
using Boltzmann.Learning.Training.Optimizers;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Instances;
using Boltzmann.Stages.Sk.Pt;
using Boltzmann.Data.Tables;
using Boltzmann.Random;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Physics.Sk;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Stages.SkFlow.Tests.Evaluation;

/// <summary>Parameters of the test fixture <see cref="UntrainedFlowStage"/>.</summary>
public sealed record UntrainedFlowParameters(string Objective, double[] Temperatures, double Epsilon, int Layers, int Steps);

/// <summary>
/// Test fixture standing in for the real <c>sk-flow-train</c> stage (same kind name and output contract,
/// <see cref="TrainedFlowIndex"/>), independent of its code: RealNVP flows fitted for <c>steps</c> Adam steps by
/// maximum likelihood on exact samples (exact enumeration of p(s), then x ~ p(x|s)), whatever the objective label
/// (steps = 0: untrained). The estimators' answers are exact for ANY q (NIS ln Z unbiased, KL &gt;= 0, NMCMC exact);
/// the short fit only raises the ESS so that 4-sigma tests are not at the mercy of heavy-tailed weights.
/// The loss table logs the training loss (and a held-out NLL) for the figure stage.
/// </summary>
public sealed class UntrainedFlowStage : StageKind<UntrainedFlowParameters>
{
    public override string Kind => SkFlow.Evaluation.SkFlowEvaluateStage.TrainKind;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Train;
    public override string Description => "test fixture: untrained RealNVP flows in the sk-flow-train output format";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("instances", [SkInstancesStage.KindName]),
        new("samples", [SkParallelTemperingStage.KindName], Required: false),
    ];

    protected override UntrainedFlowParameters Parse(ParameterReader r) => new(
        r.String("objective", null, ["forward", "reverse", "online"]),
        r.OptionalDoubleList("temperatures", greaterThan: 0) ?? [1.0],
        r.Double("epsilon", 1.0, greaterThan: 0),
        r.Int("layers", 4, min: 1),
        r.Int("steps", 200, min: 0));

    protected override Task RunAsync(StageContext ctx, UntrainedFlowParameters p)
    {
        var inputs = ctx.Input("instances");
        var entries = SkInstanceStore.Entries(inputs);
        var objective = Enum.Parse<FlowObjective>(p.Objective, ignoreCase: true);
        var flows = new List<TrainedFlow>();
        foreach (var e in entries)
            foreach (var t in p.Temperatures)
            {
                string stem = $"flows/{p.Objective}-i{e.Index}-t{t:R}";
                using var flow = new RealNvp(new RealNvpOptions { Dimension = e.N, Layers = p.Layers, Seed = RandomStreams.DeriveSeed(ctx.Seed, stem) });
                var loss = Fit(flow, SkInstanceStore.Load(inputs, e), t, p, ctx.Stream(stem));
                RealNvpCheckpoint.Save(flow, ctx.OutputPath(stem + ".flow"));
                ctx.WriteTable(stem + "-loss", loss);
                flows.Add(new TrainedFlow(e.Index, e.N, t, objective, p.Epsilon, stem + ".flow", stem + "-loss.parquet", p.Steps, 0.5, double.NaN));
            }
        TrainedFlowIndex.Write(ctx, flows);
        return Task.CompletedTask;
    }

    private static TableBuilder Fit(RealNvp flow, SkInstance instance, double t, UntrainedFlowParameters p, RandomStream rng)
    {
        int n = instance.N, batch = 256;
        var exact = new SkExactEnumeration(instance);
        var prob = new double[exact.ConfigurationCount];
        exact.BoltzmannProbabilities(1 / t, prob);
        var cdf = new double[prob.Length];
        double c = 0;
        for (int k = 0; k < prob.Length; k++) cdf[k] = c += prob[k];
        var relaxation = new SkContinuousRelaxation(instance, 1 / t, p.Epsilon);
        var spins = new sbyte[batch * n];
        var xs = new double[batch * n];
        Tensor Draw(ref RandomStream r)
        {
            for (int b = 0; b < batch; b++)
            {
                int idx = Array.BinarySearch(cdf, r.NextDouble() * c);
                SkExactEnumeration.SpinsOf(Math.Min(idx < 0 ? ~idx : idx, prob.Length - 1), spins.AsSpan(b * n, n));
            }
            relaxation.SampleXGivenS(spins, xs, ref r);
            return torch.tensor(xs, [batch, n]);
        }
        var heldout = Draw(ref rng);
        var log = new TableBuilder();
        // The project Adam: bit-identical to torch.optim.Adam without its Scalar finalizer race (docs/platform.md).
        using var adam = new AdamOptimizer(flow.parameters(), 0.01);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int step = 0; step <= p.Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            if (step % 50 == 0 || step == p.Steps)
            {
                using var noGrad = torch.no_grad();
                var nll = flow.LogProb(heldout).neg();
                log.Set("step", (long)step).Set("wall_seconds", clock.Elapsed.TotalSeconds)
                   .Set("loss", nll.mean().item<double>()).Set("heldout_nll", nll.mean().item<double>())
                   .Set("heldout_nll_err", nll.std().item<double>() / Math.Sqrt(batch)).EndRow();
            }
            if (step == p.Steps) break;
            adam.ZeroGrad();
            var l = flow.LogProb(Draw(ref rng)).mean().neg();
            l.backward();
            adam.Step();
        }
        return log;
    }
}
