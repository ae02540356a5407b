using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// Settings of one variational-annealing run (Biazzo 2023, "Results": batch 2000, 1000 epochs per temperature, Adam with
/// learning rate 1e-3, beta from 0.1 to 2.0 in steps of 0.05).
/// </summary>
/// <param name="Schedule">Temperatures and epochs per temperature.</param>
/// <param name="Batch">Samples per optimisation step (>= 2).</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="Device">Device of the model and its samples.</param>
public sealed record VariationalAnnealingOptions(AnnealingSchedule Schedule, long Batch, double LearningRate, Device Device)
{
    /// <summary>Loss-log interval in steps (also part of the checkpoint fingerprint).</summary>
    public long LogInterval => Math.Max(1, Schedule.EpochsPerTemperature / 10);
}
