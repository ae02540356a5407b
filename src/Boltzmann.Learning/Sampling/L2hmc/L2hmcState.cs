using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Training;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// The persistent chains of a deep-learning HMC run: positions [chains, C, L, T] (links in (−π, π]), accepted counts
/// [chains] (int64), the trajectory counter, the Generator of momenta and accept/reject uniforms (drawn in the order
/// of <see cref="TensorHmc"/>: momenta, then uniforms, so zero networks reproduce its decisions), and a second
/// Generator for the directions d. As an <see cref="ICheckpointState"/> it goes into every training checkpoint, so a
/// resumed training continues the chains bit for bit. Owns its tensors.
/// </summary>
public sealed class L2hmcState : ICheckpointState, IDisposable
{
    private const int Magic = 0x434D484C; // "LHMC"
    private const int FormatVersion = 1;

    /// <summary>Offset between the run seed and the seed of the direction stream (a fixed odd constant).</summary>
    public const ulong DirectionSeedOffset = 0x9E3779B97F4A7C15UL;

    internal L2hmcState(Tensor positions, Tensor accepted, ulong seed, Device device)
    {
        Positions = positions; Accepted = accepted; Seed = seed;
        Generator = new Generator(seed, device);
        DirectionGenerator = new Generator(unchecked(seed + DirectionSeedOffset), device);
    }

    public string Name => "l2hmc-chains";

    public Tensor Positions { get; internal set; }
    public Tensor Accepted { get; internal set; }
    public long Trajectories { get; internal set; }
    public Generator Generator { get; }
    public Generator DirectionGenerator { get; }
    public ulong Seed { get; }
    public long Chains => Positions.shape[0];

    /// <summary>Replaces the positions after an accept/reject (a detached copy of the handle is kept; the caller keeps <paramref name="positions"/>).</summary>
    public void Update(Tensor positions, Tensor accept)
    {
        using var noGrad = no_grad();
        var old = Positions; var oldAccepted = Accepted;
        using var increment = accept.to(ScalarType.Int64);
        // Fresh handles outside every dispose scope: the state outlives the step that produced them.
        Positions = positions.detach().DetachFromDisposeScope();
        Accepted = oldAccepted.add(increment, ScalarArithmetic.OneInteger).DetachFromDisposeScope();
        Trajectories++;
        old.Dispose(); oldAccepted.Dispose();
    }

    public double AcceptanceRate()
    {
        if (Trajectories == 0) return double.NaN;
        using var total = Accepted.sum();
        return total.to(ScalarType.Float64).item<double>() / (Chains * (double)Trajectories);
    }

    public byte[] Save(long completedSteps)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic); w.Write(FormatVersion); w.Write(Trajectories);
            using var p = Positions.detach().cpu();
            using var a = Accepted.cpu();
            using var g = Generator.get_state();
            using var gd = DirectionGenerator.get_state();
            foreach (var t in new[] { p, a, g, gd }) TensorHmcCheckpoint.WriteTensor(w, t);
        }
        return ms.ToArray();
    }

    public void Load(byte[] state, long completedSteps)
    {
        using var r = new BinaryReader(new MemoryStream(state));
        if (r.ReadInt32() != Magic || r.ReadInt32() != FormatVersion) throw new InvalidDataException("Not an L2HMC chain state of format 1.");
        long trajectories = r.ReadInt64();
        using var p = TensorHmcCheckpoint.ReadTensor(r);
        using var a = TensorHmcCheckpoint.ReadTensor(r);
        using var g = TensorHmcCheckpoint.ReadTensor(r);
        using var gd = TensorHmcCheckpoint.ReadTensor(r);
        if (!p.shape.SequenceEqual(Positions.shape) || p.dtype != Positions.dtype)
            throw new InvalidDataException($"L2HMC chain state holds positions {p.dtype} [{string.Join(", ", p.shape)}], expected {Positions.dtype} [{string.Join(", ", Positions.shape)}].");
        var device = Positions.device;
        Positions.Dispose(); Accepted.Dispose();
        Positions = p.to(device).clone().DetachFromDisposeScope();
        Accepted = a.to(device).clone().DetachFromDisposeScope();
        Generator.set_state(g);
        DirectionGenerator.set_state(gd);
        Trajectories = trajectories;
    }

    public void Dispose()
    {
        Positions.Dispose(); Accepted.Dispose(); Generator.Dispose(); DirectionGenerator.Dispose();
    }
}
