using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling;
using Boltzmann.Targets.Lattice;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests.Lattice;

/// <summary>
/// A restored <see cref="TensorHmc"/> run continues bit for bit: 2k trajectories in one go equal k trajectories,
/// checkpoint (through a byte stream), restore into a fresh sampler and state, k more trajectories — positions,
/// ln p~, gradients, accepted counts and trajectory counter identical to the last bit in float64.
/// </summary>
public class TensorHmcCheckpointTests
{
    public TensorHmcCheckpointTests() => TorchThreads.EnsureConfigured();

    private static void AssertBitIdentical(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        using var e = expected.contiguous(); using var a = actual.contiguous();
        Assert.True(e.bytes.SequenceEqual(a.bytes), $"{what} differ after restore");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RestoredRunContinuesBitForBit(bool u1)
    {
        const int k = 15;
        using var phi = new Phi4Target(6, 6, 0.25, 0.022);
        using var links = new U1Target(4, 4, 2.0);
        var (target, options, shape) = u1
            ? (links as Boltzmann.Learning.Targets.ITarget, new TensorHmcOptions(0.2, 5, WrapCompact: true), new long[] { 16, 2, 4, 4 })
            : (phi, new TensorHmcOptions(0.2, 6), new long[] { 16, 6, 6 });
        using var init = zeros(shape, ScalarType.Float64);

        using var reference = new TensorHmc(target, options);
        using var full = reference.Initialise(init, seed: 421);
        for (int i = 0; i < 2 * k; i++) reference.Step(full).Dispose();

        byte[] saved;
        using (var first = new TensorHmc(target, options))
        using (var half = first.Initialise(init, seed: 421))
        {
            for (int i = 0; i < k; i++) first.Step(half).Dispose();
            using var checkpoint = half.Checkpoint();
            using var ms = new MemoryStream();
            checkpoint.Write(ms);
            saved = ms.ToArray();
        }

        using var fresh = new TensorHmc(target, options);
        using var loaded = TensorHmcCheckpoint.Read(new MemoryStream(saved));
        using var resumed = fresh.Restore(loaded);
        Assert.Equal(k, resumed.Trajectories);
        for (int i = 0; i < k; i++) fresh.Step(resumed).Dispose();

        Assert.Equal(full.Trajectories, resumed.Trajectories);
        AssertBitIdentical(full.Positions, resumed.Positions, "positions");
        AssertBitIdentical(full.LogProb, resumed.LogProb, "ln p");
        AssertBitIdentical(full.Gradient, resumed.Gradient, "gradients");
        AssertBitIdentical(full.Accepted, resumed.Accepted, "accepted counts");
        // The run actually moved and accepted something (the comparison is not between two frozen states).
        Assert.InRange(full.AcceptanceRate(), 0.3, 1.0);
        using var moved = full.Positions.abs().max();
        Assert.True(moved.item<double>() > 0.1);
    }

    [Fact]
    public void RestoreRejectsAMismatchedTarget()
    {
        using var small = new Phi4Target(4, 4, 0.2, 0.0);
        using var large = new Phi4Target(6, 6, 0.2, 0.0);
        using var a = new TensorHmc(small, new TensorHmcOptions(0.2, 4));
        using var b = new TensorHmc(large, new TensorHmcOptions(0.2, 4));
        using var init = zeros([4, 4, 4], ScalarType.Float64);
        using var state = a.Initialise(init, 1);
        using var checkpoint = state.Checkpoint();
        Assert.Throws<ArgumentException>(() => b.Restore(checkpoint));
    }
}
