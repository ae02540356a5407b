using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling;

/// <summary>
/// The explicit state of a batched <see cref="TensorHmc"/> run: positions of all chains [chains, ..EventShape],
/// their ln p~ and gradient (carried over so a trajectory costs exactly LeapfrogSteps force evaluations), the
/// per-chain accepted-trajectory counts, the trajectory counter and the torch Generator (seeded from the run seed)
/// that draws every momentum and every accept/reject uniform. Owns its tensors.
/// </summary>
public sealed class TensorHmcState : IDisposable
{
    internal TensorHmcState(Tensor positions, Tensor logProb, Tensor gradient, Tensor accepted, Generator generator, ulong seed)
    {
        Positions = positions; LogProb = logProb; Gradient = gradient; Accepted = accepted; Generator = generator; Seed = seed;
    }

    /// <summary>Current positions [chains, ..EventShape] (detached).</summary>
    public Tensor Positions { get; internal set; }

    /// <summary>ln p~ of <see cref="Positions"/> [chains].</summary>
    public Tensor LogProb { get; internal set; }

    /// <summary>∇ ln p~ at <see cref="Positions"/>.</summary>
    public Tensor Gradient { get; internal set; }

    /// <summary>Accepted trajectories per chain [chains] (int64).</summary>
    public Tensor Accepted { get; internal set; }

    /// <summary>Trajectories run so far (the same for every chain).</summary>
    public long Trajectories { get; internal set; }

    /// <summary>The random stream of this run.</summary>
    public Generator Generator { get; }

    /// <summary>The run seed the generator was created from.</summary>
    public ulong Seed { get; }

    public long Chains => Positions.shape[0];

    /// <summary>A host copy of this state (with the Generator state) for <see cref="TensorHmc.Restore"/>.</summary>
    public TensorHmcCheckpoint Checkpoint() => TensorHmcCheckpoint.Of(this);

    /// <summary>Fraction of accepted trajectories over all chains and trajectories (synchronises with the device).</summary>
    public double AcceptanceRate()
    {
        if (Trajectories == 0) return double.NaN;
        using var total = Accepted.sum();
        return total.to(ScalarType.Float64).item<double>() / (Chains * (double)Trajectories);
    }

    public void Dispose()
    {
        Positions.Dispose(); LogProb.Dispose(); Gradient.Dispose(); Accepted.Dispose(); Generator.Dispose();
    }
}
