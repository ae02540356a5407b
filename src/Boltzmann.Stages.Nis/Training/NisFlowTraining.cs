using System.Diagnostics;
using Boltzmann.Flows;
using Boltzmann.Flows.Training;
using Boltzmann.Learning.Training;
using Boltzmann.Targets.Lattice;
using static TorchSharp.torch;

namespace Boltzmann.Stages.Nis.Training;

/// <summary>
/// Trains one lattice flow with the shared <see cref="Trainer"/> (checkpoints, bit-identical resume, NaN/divergence
/// guards) by one of the three objectives: reverse KL with the total gradient (<see cref="ReverseKlObjective"/>),
/// reverse KL with the path gradient (<see cref="PathGradientObjective"/>), or forward KL on configurations of p
/// (<see cref="ForwardKlObjective"/> over shuffled minibatches, a pure function of (seed, step)). Every step logs
/// the reverse ESS/N of its batch (reverse objectives). Learning rate: cosine decay to 1% (Loshchilov &amp; Hutter 2017).
/// </summary>
public sealed class NisFlowTraining
{
    public sealed record Result(long Steps, double FinalLoss, double Seconds, double SecondsPerStep, LossLog Log);

    public static Result Run(NormalizingFlow flow, Phi4Target target, NisObjective objective, long steps, int batch, double learningRate,
                             long checkpointInterval, string checkpointRoot, ulong seed, double[]? data, CancellationToken cancellation,
                             Action<long, long>? progress = null)
    {
        var options = new TrainingOptions
        {
            Steps = steps, LearningRate = learningRate, Schedule = LearningRateSchedule.Cosine, DType = flow.Dtype,
            CheckpointInterval = checkpointInterval, LogInterval = Math.Max(1, steps / 200),
        };
        using var trainer = new Trainer(flow, options, checkpointRoot);
        using var generator = new Generator(seed, flow.Device);
        trainer.RegisterGenerator("flow-sampler", generator);
        trainer.Resume();
        var shape = flow.EventShape;
        using var dataset = objective == NisObjective.Forward
            ? new ForwardKlDataset(data ?? throw new ArgumentNullException(nameof(data), "forward KL needs configurations of p"), flow.Dimension, batch, seed, flow.Dtype, flow.Device)
            : null;
        var reverse = new ReverseKlObjective(flow, target.LogProb, symmetrize: false);
        var path = new PathGradientObjective(flow, target.LogProb);
        var clock = Stopwatch.StartNew();
        long start = trainer.CompletedSteps;
        Func<long, StepResult> step = objective switch
        {
            NisObjective.Forward => s => ForwardKlObjective.Loss(flow, dataset!.Minibatch(s).view([batch, .. shape])),
            NisObjective.Path => s => WithEss(path.Evaluate(batch, generator)),
            _ => s => WithEss(reverse.Evaluate(batch, generator)),
        };
        var result = trainer.Run(step, progress, cancellation);
        double seconds = clock.Elapsed.TotalSeconds;
        long run = trainer.CompletedSteps - start;
        return new Result(result.CompletedSteps, result.FinalLoss, result.Elapsed.TotalSeconds, run > 0 ? seconds / run : double.NaN, result.Log);
    }

    private static StepResult WithEss(ReverseKlBatch b) =>
        new(b.Loss, [("ess", Boltzmann.Estimators.EffectiveSampleSize.Reverse(b.LogTarget, b.LogQ).Mean)]);
}
