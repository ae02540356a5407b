using Boltzmann.Learning.Training;
using Boltzmann.Statistics;

namespace Boltzmann.Autoregressive.Likelihood;

/// <summary>
/// Outcome of <see cref="MaximumLikelihoodTrainer.Run"/>: the trainer's result (loss log with the held-out NLL per
/// logged step) and the final mean negative log-likelihood per configuration (nats) on the training and held-out sets,
/// with errors from the integrated autocorrelation of the per-configuration values in data order (Monte Carlo samples
/// are time series).
/// </summary>
public sealed record MaximumLikelihoodResult(TrainingResult Training, Estimate TrainingNll, Estimate HoldoutNll);
