namespace Boltzmann.Flows.Benchmarks;

/// <summary>Throughput of <see cref="RealNvpBenchmark.Run"/> on this machine.</summary>
/// <param name="Dimension">N.</param>
/// <param name="Batch">Training batch size.</param>
/// <param name="Layers">Coupling layers L.</param>
/// <param name="Dtype">Float32 or Float64.</param>
/// <param name="Threads">torch intra-op threads.</param>
/// <param name="TrainingSteps">Timed Adam steps.</param>
/// <param name="TrainingSeconds">Wall time of the timed steps.</param>
/// <param name="SampleBatch">Batch size of the timed sampling calls.</param>
/// <param name="Samples">Samples drawn (with log-probabilities) in the timed sampling loop.</param>
/// <param name="SamplingSeconds">Wall time of the sampling loop.</param>
public sealed record RealNvpBenchmarkResult(
    int Dimension, int Batch, int Layers, string Dtype, int Threads,
    long TrainingSteps, double TrainingSeconds, int SampleBatch, long Samples, double SamplingSeconds)
{
    public double TrainingStepsPerSecond => TrainingSteps / TrainingSeconds;

    public double SamplesPerSecond => Samples / SamplingSeconds;

    public override string ToString() =>
        $"RealNVP N={Dimension} L={Layers} {Dtype} ({Threads} threads): {TrainingStepsPerSecond:F1} training steps/s (batch {Batch}), " +
        $"{SamplesPerSecond:F0} samples/s with log q (batch {SampleBatch})";
}
