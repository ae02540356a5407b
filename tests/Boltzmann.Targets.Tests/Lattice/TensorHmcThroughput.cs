using Boltzmann.Learning.Runtime;
using System.Diagnostics;
using Boltzmann.Learning.Sampling;
using Boltzmann.Learning.Targets;
using Boltzmann.Targets.Lattice;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests.Lattice;

/// <summary>Throughput of one batched <see cref="TensorHmc"/> configuration.</summary>
public readonly record struct TensorHmcThroughputResult(
    string Name, long Chains, long DegreesOfFreedom, int LeapfrogSteps, int Trajectories, double Seconds, double AcceptanceRate)
{
    public double TrajectoriesPerSecond => Trajectories / Seconds;

    /// <summary>Per-chain trajectories per second summed over chains (chain-trajectories/s).</summary>
    public double ChainTrajectoriesPerSecond => Chains * (double)Trajectories / Seconds;

    /// <summary>Site (or link) leapfrog updates per second: chains × dof × leapfrog steps × trajectories / s.</summary>
    public double UpdatesPerSecond => Chains * (double)DegreesOfFreedom * LeapfrogSteps * Trajectories / Seconds;

    public override string ToString() =>
        $"{Name}: {Chains} chains, {LeapfrogSteps} leapfrog steps: {TrajectoriesPerSecond:F2} batched trajectories/s " +
        $"({ChainTrajectoriesPerSecond:E3} chain-trajectories/s), {UpdatesPerSecond:E3} dof-leapfrog updates/s, acceptance {AcceptanceRate:F3}";
}

/// <summary>
/// Throughput of the tensor HMC at 1024 chains on 16 × 16 lattices (φ⁴ sites, U(1) links): wall time of a fixed
/// number of trajectories after a short warm-up, on the CPU device. Run by the Slow-tagged test below.
/// </summary>
public static class TensorHmcThroughput
{
    public static TensorHmcThroughputResult Measure(string name, ITarget target, TensorHmcOptions options, long chains, int trajectories, int warmUp = 2, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var hmc = new TensorHmc(target, options);
        long[] shape = [chains, .. target.EventShape];
        using var init = zeros(shape, target.Dtype);
        using var state = hmc.Initialise(init, seed);
        for (int i = 0; i < warmUp; i++) hmc.Step(state).Dispose();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < trajectories; i++) hmc.Step(state).Dispose();
        using (var sync = state.Positions.sum().to(ScalarType.Float64)) _ = sync.item<double>(); // force completion on async devices
        sw.Stop();
        long dof = target.EventShape.Aggregate(1L, (a, b) => a * b);
        return new TensorHmcThroughputResult(name, chains, dof, options.LeapfrogSteps, trajectories, sw.Elapsed.TotalSeconds, state.AcceptanceRate());
    }

    public static IReadOnlyList<TensorHmcThroughputResult> Standard(int trajectories = 10)
    {
        var results = new List<TensorHmcThroughputResult>();
        TorchThreads.EnsureConfigured();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var phi = new Phi4Target(16, 16, 0.27, 0.022, dtype);
            results.Add(Measure($"phi4 16x16 {dtype}", phi, new TensorHmcOptions(0.1, 10), 1024, trajectories));
            using var u1 = new U1Target(16, 16, 2.0, dtype);
            results.Add(Measure($"U(1) 16x16 {dtype}", u1, new TensorHmcOptions(0.1, 10, WrapCompact: true), 1024, trajectories));
        }
        return results;
    }
}

public class TensorHmcThroughputTests
{
    private readonly ITestOutputHelper output;

    // One libtorch thread (the pipeline default): multi-threaded kernels stall on a loaded shared machine.
    public TensorHmcThroughputTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchThreads.EnsureConfigured();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ReportsThroughputAt1024Chains()
    {
        foreach (var r in TensorHmcThroughput.Standard())
        {
            output.WriteLine(r.ToString());
            Assert.True(r.UpdatesPerSecond > 0);
            Assert.InRange(r.AcceptanceRate, 0.05, 1.0);
        }
    }
}
