using Boltzmann.Estimators;
using Boltzmann.Flows;
using Boltzmann.Flows.Hierarchical;
using Boltzmann.Flows.Training;
using Boltzmann.Learning.Models;
using Boltzmann.Learning.Symmetry;
using Boltzmann.Learning.Training;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Random;
using Boltzmann.Targets.Relaxation;
using static TorchSharp.torch;

namespace Boltzmann.Stages.NeuralRg.Training;

/// <summary>
/// Variational training of a NeuralRG flow on the dual Ising field (Li &amp; Wang 2018, Algorithm 1): the
/// probability density distillation loss L = E_{x~q}[ln q(x) − ln pi(x)] ≥ −ln Z_x (eqs. 3-5, reparametrised
/// samples x = G(z)), with q replaced by q_sym(x) = [q(x) + q(−x)]/2 when symmetrising (supplement eqs. S2-S4;
/// pi is even in x), through the shared <see cref="Trainer"/> (Adam, checkpoints, bit-identical resume, guards).
/// Every logged epoch records the loss (the variational free energy −ln Z_x bound), its standard error over the
/// batch and the batch's reverse ESS/N.
/// </summary>
public sealed class NeuralRgTraining : IDisposable
{
    private readonly NeuralRgTrainingSettings _settings;
    private readonly Generator _sampler;

    public NeuralRgTraining(NeuralRgTrainingSettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Field = new IsingDualField(settings.L, settings.Beta);
        Target = new IsingDualFieldTarget(Field, settings.Dtype);
        Flow = NeuralRgFlow.Create(settings.FlowOptions());
        Density = settings.Symmetrize ? new Z2Symmetrized(Flow) : Flow;
        _sampler = new Generator(RandomStreams.DeriveSeed(settings.Seed, "neuralrg/flow-sampler"), CPU);
    }

    public IsingDualField Field { get; }

    public IsingDualFieldTarget Target { get; }

    public NormalizingFlow Flow { get; }

    /// <summary>The model density of the loss and of importance weights: q or q_sym.</summary>
    public IExactSampler Density { get; }

    /// <summary>
    /// Trains for the settings' epochs with checkpoints under <paramref name="checkpointRoot"/> (resuming from the
    /// latest one there); <paramref name="snapshot"/> is called with the epoch before every snapshot-interval step.
    /// </summary>
    public TrainingResult Run(string checkpointRoot, Action<long>? snapshot = null, Action<long, long>? progress = null,
                              CancellationToken cancellationToken = default)
    {
        var options = new TrainingOptions
        {
            Steps = _settings.Epochs, LearningRate = _settings.LearningRate, WeightDecay = _settings.WeightDecay, Schedule = _settings.Schedule,
            DType = _settings.Dtype, CheckpointInterval = _settings.CheckpointInterval, LogInterval = _settings.LogInterval,
            Divergence = new DivergenceRule { MaxRiseAboveBest = Math.Max(10, Field.N), SmoothingSteps = 50 },
        };
        using var trainer = new Trainer(Flow, options, checkpointRoot);
        trainer.RegisterGenerator("flow-sampler", _sampler);
        trainer.Resume();
        var objective = new ReverseKlObjective(Flow, Target.LogProb, _settings.Symmetrize);
        var result = trainer.Run(epoch =>
        {
            if (snapshot is not null && _settings.SnapshotInterval > 0 && epoch % _settings.SnapshotInterval == 0) snapshot(epoch);
            var batch = objective.Evaluate(_settings.Batch, _sampler);
            List<(string, double)>? extras = null;
            if (epoch % _settings.LogInterval == 0 || epoch == _settings.Epochs - 1)
            {
                var loss = VariationalFreeEnergy.ReverseLoss(batch.LogTarget, batch.LogQ);
                extras = [("loss_err", loss.StdError), ("ess_fraction", EffectiveSampleSize.Reverse(batch.LogTarget, batch.LogQ).Mean)];
            }
            return new StepResult(batch.Loss, extras);
        }, progress, cancellationToken);
        trainer.DeleteCheckpoints();
        return result;
    }

    public void Dispose()
    {
        _sampler.Dispose();
        Flow.Dispose();
        Target.Dispose();
    }
}
