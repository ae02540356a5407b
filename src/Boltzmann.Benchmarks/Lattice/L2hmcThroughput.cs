using System.Diagnostics;
using System.Globalization;
using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling;
using Boltzmann.Learning.Sampling.L2hmc;
using Boltzmann.Targets.Lattice;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.Lattice;

/// <summary>
/// Throughput of deep-learning HMC (<see cref="L2hmcSampler"/>, Foreman, Jin and Osborn, arXiv:2105.03418) against plain
/// batched torch HMC (<see cref="TensorHmc"/>) on the same U(1) lattice (16 × 16, β = 4, 512 chains, N_LF = 10, Float32,
/// the pipeline's libtorch threads), with the networks of the default pipeline (width 8, two hidden convolutions).
/// Both samplers are timed over whole Metropolis steps; the cost of an independent sample is
/// N_LF × τ_int × (seconds per leapfrog layer per chain), so the ratio of the per-layer times is the factor by which
/// the learned sampler's τ_int must beat HMC's for the gain to survive the networks' overhead.
/// </summary>
public static class L2hmcThroughput
{
    public const int Side = 16;
    public const int Chains = 512;
    public const int LeapfrogLayers = 10;

    public sealed record Result(string Name, long Chains, int LeapfrogLayers, int Trajectories, double Seconds, double Acceptance)
    {
        public double TrajectoriesPerSecond => Trajectories / Seconds;

        /// <summary>Seconds per leapfrog layer and chain: the unit of the cost N_LF × τ_int × t.</summary>
        public double SecondsPerLayerPerChain => Seconds / (Trajectories * (double)LeapfrogLayers * Chains);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {TrajectoriesPerSecond:G4} batched trajectories/s ({TrajectoriesPerSecond * Chains:G4} chain-trajectories/s), {SecondsPerLayerPerChain:G4} s per leapfrog layer per chain, acceptance {Acceptance:F3}");
    }

    /// <summary>(learned, plain HMC) with <paramref name="trajectories"/> timed Metropolis steps each after one warm-up step.</summary>
    public static (Result Learned, Result Hmc) Measure(int trajectories = 3, int chains = Chains, int side = Side, int layers = LeapfrogLayers, int width = 8)
    {
        TorchThreads.EnsureConfigured();
        using var target = new U1Target(side, side, 4.0, ScalarType.Float32);
        using var g = new Generator(11);
        using var u = rand([chains, 2, side, side], generator: g);
        using var init = u.mul(2 * Math.PI).sub(Math.PI);

        using var sampler = new L2hmcSampler("bench", side, side, new L2hmcOptions(layers, 0.1, width, 2));
        sampler.InitialiseWeights(g, 0.5);
        sampler.eval();
        using var state = sampler.Initialise(init, 12);
        sampler.Step(target, state).Dispose();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < trajectories; i++) sampler.Step(target, state).Dispose();
        var learned = new Result($"l2hmc[u1 {side}x{side},beta=4,N_LF={layers},width={width},Float32]", chains, layers, trajectories, sw.Elapsed.TotalSeconds, state.AcceptanceRate());

        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.1, layers, WrapCompact: true));
        using var hstate = hmc.Initialise(init, 13);
        hmc.Step(hstate).Dispose();
        sw.Restart();
        for (int i = 0; i < trajectories; i++) hmc.Step(hstate).Dispose();
        var plain = new Result($"hmc[u1 {side}x{side},beta=4,N_LF={layers},Float32]", chains, layers, trajectories, sw.Elapsed.TotalSeconds, hstate.AcceptanceRate());
        return (learned, plain);
    }
}
