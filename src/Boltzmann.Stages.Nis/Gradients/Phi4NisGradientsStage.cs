using System.Globalization;
using Boltzmann.Data.Tables;
using Boltzmann.Estimators;
using Boltzmann.Flows.Lattice;
using Boltzmann.Learning.Runtime;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Random;
using Boltzmann.Stages.Nis.Training;
using Boltzmann.Targets.Lattice;
using static TorchSharp.torch;

namespace Boltzmann.Stages.Nis.Gradients;

/// <summary>
/// Path vs total gradient (Vaitl et al., ICML 2022; the table "Path Gradient Estimators" of Nicoli's 2024 talk): on
/// each L x L lattice, two flows from the same initial weights and sampler seed, trained by reverse KL for the same
/// number of steps, one with the total (reparametrisation) gradient and one with the path gradient; reports the
/// reverse ESS/N reached (N fresh samples) and the wall time per iteration (extra cost of the path gradient).
/// </summary>
public sealed class Phi4NisGradientsStage : StageKind<Phi4NisGradientsParameters>
{
    public const string KindName = "phi4-nis-gradients";
    public const string Table = "gradients";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Train;
    public override string Description => "phi^4 flows: reverse ESS vs lattice size at equal steps, path vs total gradient, with the cost per iteration";

    protected override Phi4NisGradientsParameters Parse(ParameterReader r) => Phi4NisGradientsParameters.Read(r);

    protected override Task RunAsync(StageContext ctx, Phi4NisGradientsParameters p)
    {
        var device = TorchDevice.Resolve(ctx.Device);   // also fixes libtorch's thread count (docs/platform.md)
        var table = new TableBuilder();
        foreach (int l in p.Sizes)
        {
            double? totalSeconds = null;
            foreach (var objective in new[] { NisObjective.Reverse, NisObjective.Path })
            {
                ulong seed = RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/flow", l);
                using var target = new Phi4Target(l, l, p.Kappa, p.Lambda, p.Flow.ScalarType, device);
                using var flow = LatticeFlow.Create(p.Flow.Options(l, l, seed, device));
                string label = $"{ctx.Name}: {l} x {l}, {(objective == NisObjective.Path ? "path" : "total")} gradient";
                using var progress = ctx.Progress.Start(label, p.Steps, "steps");
                var result = NisFlowTraining.Run(flow, target, objective, p.Steps, p.Batch, p.LearningRate, p.Steps,
                    Path.Combine(ctx.ScratchDirectory, $"L{l}-{objective.Name()}"), RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/sampler", l), null,
                    ctx.Cancellation, (done, _) => progress.SetValue(done));
                double[] lt, lq;
                using (var scope = NewDisposeScope())
                using (no_grad())
                using (var g = new Generator(RandomStreams.DeriveSeed(ctx.Seed, $"{ctx.Name}/eval", l), device))
                {
                    var (x, logQ) = flow.Sample(p.Samples, g);
                    lt = target.LogProb(x).to(ScalarType.Float64, CPU).data<double>().ToArray();
                    lq = logQ.to(ScalarType.Float64, CPU).data<double>().ToArray();
                }
                var ess = EffectiveSampleSize.Reverse(lt, lq);
                totalSeconds ??= result.SecondsPerStep;
                table.Set("l", l).Set("path", objective == NisObjective.Path ? 1 : 0).Set("steps", result.Steps)
                     .Set("ess", ess.Mean).Set("ess_err", ess.StdError).Set("seconds_per_step", result.SecondsPerStep)
                     .Set("extra_cost", result.SecondsPerStep / totalSeconds.Value - 1).Set("final_loss", result.FinalLoss).EndRow();
                ctx.Log.Info(string.Create(CultureInfo.InvariantCulture, $"{label}: ESS/N = {ess.Mean:F4} ± {ess.StdError:F4}, {result.SecondsPerStep * 1e3:F1} ms/step"));
            }
        }
        ctx.WriteTable(Table, table);
        return Task.CompletedTask;
    }
}
