using System.Diagnostics;
using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling;
using Boltzmann.Learning.Targets;
using Boltzmann.Targets.Lattice;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.Lattice;

/// <summary>
/// Throughput of the batched torch HMC (<see cref="TensorHmc"/>, autograd forces) at 1024 chains on 16 × 16 lattices
/// (φ⁴ sites at κ = 0.27, λ = 0.022; U(1) links at β = 2): wall time of a fixed number of trajectories after a short
/// warm-up, on the CPU device with the pipeline's libtorch thread setting (<see cref="TorchThreads"/>). Compared in
/// <see cref="LatticeHmcWorkload.Report"/> with the plain-C# chains on the same lattice size.
/// </summary>
public static class TensorHmcThroughput
{
    public const int Chains = 1024;
    public const int Side = 16;
    public const int LeapfrogSteps = 10;

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

    /// <summary>φ⁴ and U(1) at <see cref="Side"/>² with <paramref name="chains"/> chains in Float32 and Float64.</summary>
    public static IReadOnlyList<TensorHmcThroughputResult> Standard(int trajectories = 10, long chains = Chains, int side = Side)
    {
        var results = new List<TensorHmcThroughputResult>();
        TorchThreads.EnsureConfigured();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var phi = new Phi4Target(side, side, 0.27, 0.022, dtype);
            results.Add(Measure($"phi4[{side}x{side},kappa=0.27,lambda=0.022,N_LF={LeapfrogSteps},{dtype}]", phi, new TensorHmcOptions(0.1, LeapfrogSteps), chains, trajectories));
            using var u1 = new U1Target(side, side, 2.0, dtype);
            results.Add(Measure($"u1[{side}x{side},beta=2,N_LF={LeapfrogSteps},{dtype}]", u1, new TensorHmcOptions(0.1, LeapfrogSteps, WrapCompact: true), chains, trajectories));
        }
        return results;
    }
}
