namespace Boltzmann.Benchmarks.Lattice;

/// <summary>Throughput of the phi^4 lattice flow at one lattice size (<see cref="LatticeFlowBenchmark"/>).</summary>
public sealed record LatticeFlowBenchmarkResult(
    int L, int T, int Batch, int Couplings, string Dtype, int Threads,
    double ReverseStepsPerSecond, double PathStepsPerSecond, double ForwardStepsPerSecond, double SamplesPerSecond)
{
    /// <summary>Extra wall time per iteration of the path gradient over the total gradient.</summary>
    public double PathExtraCost => ReverseStepsPerSecond / PathStepsPerSecond - 1;
}
