using Boltzmann.Learning.Targets;
using Boltzmann.Learning.Training;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Training;

/// <summary>What an annealing run did: where it resumed from, how many steps it ran now, and the loss log.</summary>
/// <param name="ResumedFromStep">Completed steps restored from a checkpoint (0 for a fresh start or CW_N).</param>
/// <param name="StepsThisRun">Optimisation steps executed by this call.</param>
/// <param name="TotalSteps">Steps of the whole schedule (0 for networks without learned parameters).</param>
/// <param name="Log">Loss log (null for networks without learned parameters).</param>
public sealed record AnnealingRunResult(long ResumedFromStep, long StepsThisRun, long TotalSteps, LossLog? Log)
{
    /// <summary>Damaged checkpoints the resume moved aside, each naming its directory (see <see cref="ResumeInfo.Skipped"/>).</summary>
    public IReadOnlyList<string> SkippedCheckpoints { get; init; } = [];
}

/// <summary>
/// Variational annealing of an autoregressive network (Biazzo 2023, section II and "Results"; Wu, Wang &amp; Zhang 2019):
/// for beta_k on the <see cref="AnnealingSchedule"/>, set the beta-dependent fixed parameters
/// (<see cref="InverseTemperature"/>) and take <c>epochs</c> Adam steps on beta F[Q] with the REINFORCE gradient
/// (<see cref="VariationalObjective"/>), keeping the learned parameters and Adam's moments from one temperature to the
/// next; at the end of every temperature the observer evaluates the network. The whole schedule is one run of the shared
/// <see cref="Trainer"/> (step s trains at beta_{s / epochs}), checkpointed at every temperature boundary (and on
/// cancellation) with the sampling generator's state, so a killed run resumes bit for bit. Networks with nothing to learn
/// (CW_N) are only moved through the temperatures and evaluated. The Hamiltonian is the β = 1 Boltzmann target
/// (ln p~_1 = −H, on the training device).
/// </summary>
public static class VariationalAnnealing
{
    public static AnnealingRunResult Run(
        AutoregressiveModel model, ITarget hamiltonian, VariationalAnnealingOptions options, ulong trainingSeed,
        string checkpointRoot, ITemperatureObserver observer, Action<long, long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hamiltonian);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        SpinTargets.RequireSameSpins(hamiltonian, model.N, "Annealing");
        var schedule = options.Schedule;
        int epochs = schedule.EpochsPerTemperature;

        if (model.TrainableParameterCount == 0)
        {
            for (int k = 0; k < schedule.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!observer.HasResult(k)) Complete(model, observer, k, schedule.Betas[k]);
                progress?.Invoke(k + 1, schedule.Count);
            }
            return new AnnealingRunResult(0, 0, 0, null);
        }

        var trainingOptions = new TrainingOptions
        {
            Steps = schedule.TotalSteps,
            LearningRate = options.LearningRate,
            Device = options.Device,
            DType = model.DType, // the precision the model was built in (AutoregressiveModel.DType)
            CheckpointInterval = epochs,
            LogInterval = options.LogInterval,
        };
        using var trainer = new Trainer(model, trainingOptions, checkpointRoot);
        var generator = new Generator(trainingSeed, options.Device);
        trainer.RegisterGenerator("ancestral-sampling", generator);
        var resume = trainer.Resume();
        long done = trainer.CompletedSteps;
        int finished = (int)(done / epochs);
        for (int k = 0; k < finished; k++)
        {
            if (observer.HasResult(k)) continue;
            if (k != finished - 1 || done % epochs != 0)
                throw new InvalidOperationException(
                    $"Annealing: the evaluation of temperature {k} (beta = {schedule.Betas[k]}) is missing and the checkpoint in {checkpointRoot} " +
                    $"is at step {done}, past that temperature; delete the checkpoints to start over.");
            Complete(model, observer, k, schedule.Betas[k]);
        }

        var objective = new VariationalObjective(model, hamiltonian, options.Batch);
        var result = trainer.Run(
            step =>
            {
                double beta = schedule.BetaAt(step);
                InverseTemperature.Set(model, beta);
                return objective.Step(beta, generator);
            },
            (completed, total) =>
            {
                if (completed % epochs == 0)
                {
                    int k = (int)(completed / epochs) - 1;
                    Complete(model, observer, k, schedule.Betas[k]);
                }
                progress?.Invoke(completed, total);
            },
            cancellationToken);
        return new AnnealingRunResult(resume.CompletedSteps, result.StepsThisRun, schedule.TotalSteps, result.Log) { SkippedCheckpoints = resume.Skipped };
    }

    private static void Complete(AutoregressiveModel model, ITemperatureObserver observer, int index, double beta)
    {
        InverseTemperature.Set(model, beta);
        model.eval();
        try
        {
            observer.OnTemperatureCompleted(index, beta, model);
        }
        finally
        {
            model.train();
        }
    }
}
