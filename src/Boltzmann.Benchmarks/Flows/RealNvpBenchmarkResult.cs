using Boltzmann.Benchmarks.Cost;

namespace Boltzmann.Benchmarks.Flows;

/// <summary>Throughput of <see cref="RealNvpBenchmark.Run"/> on this machine.</summary>
/// <param name="Dimension">N.</param>
/// <param name="Batch">Training batch size.</param>
/// <param name="Layers">Coupling layers L.</param>
/// <param name="Dtype">Float32 or Float64.</param>
/// <param name="Threads">torch intra-op threads.</param>
/// <param name="TrainingSteps">Timed reverse-KL steps (eq. 17, Z2-symmetrised, SK target) of the shared Trainer.</param>
/// <param name="TrainingSeconds">Wall time of the timed reverse-KL steps.</param>
/// <param name="SampleBatch">Batch size of the timed sampling calls.</param>
/// <param name="Samples">Samples drawn (with log-probabilities) in the timed sampling loop.</param>
/// <param name="SamplingSeconds">Wall time of the sampling loop.</param>
/// <param name="ForwardTrainingSteps">Timed forward-KL steps (eq. 19, minibatches of stored x) of the shared Trainer.</param>
/// <param name="ForwardTrainingSeconds">Wall time of the timed forward-KL steps.</param>
public sealed record RealNvpBenchmarkResult(
    int Dimension, int Batch, int Layers, string Dtype, int Threads,
    long TrainingSteps, double TrainingSeconds, int SampleBatch, long Samples, double SamplingSeconds,
    long ForwardTrainingSteps, double ForwardTrainingSeconds)
{
    /// <summary>Forward-KL steps: median of the timed windows, spread, CPU time.</summary>
    public WindowedRate? Forward { get; init; }

    /// <summary>Reverse-KL steps: median of the timed windows, spread, CPU time.</summary>
    public WindowedRate? Reverse { get; init; }

    /// <summary>Samples (with log q): median of the timed windows, spread, CPU time.</summary>
    public WindowedRate? Sampling { get; init; }

    /// <summary>Reverse-KL training steps per second (median of the windows when measured so).</summary>
    public double TrainingStepsPerSecond => Reverse?.Median ?? TrainingSteps / TrainingSeconds;

    /// <summary>Forward-KL training steps per second (median of the windows when measured so).</summary>
    public double ForwardTrainingStepsPerSecond => Forward?.Median ?? ForwardTrainingSteps / ForwardTrainingSeconds;

    public double SamplesPerSecond => Sampling?.Median ?? Samples / SamplingSeconds;

    public override string ToString() =>
        $"RealNVP N={Dimension} L={Layers} {Dtype} ({Threads} threads), batch {Batch}: {ForwardTrainingStepsPerSecond:F1} forward-KL and " +
        $"{TrainingStepsPerSecond:F1} reverse-KL training steps/s; {SamplesPerSecond:F0} samples/s with log q (batch {SampleBatch})";
}
