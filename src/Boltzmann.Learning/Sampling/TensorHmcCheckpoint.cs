using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling;

/// <summary>
/// A host copy of a <see cref="TensorHmcState"/>: positions, the cached ln p~ and gradient (so the restored run does
/// not recompute them and stays bit-identical even where a recomputation would round differently), the accepted
/// counts, the trajectory counter, the run seed and the torch Generator state (<c>Generator.get_state</c>, the raw
/// Philox/MT state bytes). <see cref="TensorHmc.Restore"/> turns it back into a state that continues the run bit for
/// bit. <see cref="Write"/>/<see cref="Read"/> store it as a little binary record (magic, version, then each tensor
/// as dtype, shape and raw bytes). Owns its (CPU) tensors.
/// </summary>
public sealed class TensorHmcCheckpoint : IDisposable
{
    private const int Magic = 0x434D4854; // "THMC"
    private const int FormatVersion = 1;

    internal TensorHmcCheckpoint(Tensor positions, Tensor logProb, Tensor gradient, Tensor accepted, Tensor generatorState, long trajectories, ulong seed)
    {
        Positions = positions; LogProb = logProb; Gradient = gradient; Accepted = accepted; GeneratorState = generatorState;
        Trajectories = trajectories; Seed = seed;
    }

    public Tensor Positions { get; }
    public Tensor LogProb { get; }
    public Tensor Gradient { get; }
    public Tensor Accepted { get; }

    /// <summary>The Generator's state (uint8 tensor from <c>get_state</c>).</summary>
    public Tensor GeneratorState { get; }

    public long Trajectories { get; }
    public ulong Seed { get; }

    /// <summary>Copies <paramref name="state"/> to the host.</summary>
    public static TensorHmcCheckpoint Of(TensorHmcState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var noGrad = no_grad();
        static Tensor Host(Tensor t) => t.detach().cpu().clone();
        return new TensorHmcCheckpoint(Host(state.Positions), Host(state.LogProb), Host(state.Gradient), Host(state.Accepted),
            state.Generator.get_state(), state.Trajectories, state.Seed);
    }

    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic); w.Write(FormatVersion);
        w.Write(Trajectories); w.Write(Seed);
        foreach (var t in new[] { Positions, LogProb, Gradient, Accepted, GeneratorState }) WriteTensor(w, t);
    }

    public static TensorHmcCheckpoint Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadInt32() != Magic) throw new InvalidDataException("Not a TensorHmc checkpoint.");
        int version = r.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"TensorHmc checkpoint format {version} is not supported (expected {FormatVersion}).");
        long trajectories = r.ReadInt64();
        ulong seed = r.ReadUInt64();
        var t = new Tensor[5];
        for (int i = 0; i < t.Length; i++) t[i] = ReadTensor(r);
        return new TensorHmcCheckpoint(t[0], t[1], t[2], t[3], t[4], trajectories, seed);
    }

    internal static void WriteTensor(BinaryWriter w, Tensor t)
    {
        using var c = t.contiguous();
        w.Write((int)c.dtype);
        w.Write((int)c.dim());
        foreach (long d in c.shape) w.Write(d);
        var bytes = c.bytes;
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    internal static Tensor ReadTensor(BinaryReader r)
    {
        var dtype = (ScalarType)r.ReadInt32();
        int dim = r.ReadInt32();
        var shape = new long[dim];
        for (int i = 0; i < dim; i++) shape[i] = r.ReadInt64();
        int n = r.ReadInt32();
        var bytes = r.ReadBytes(n);
        if (bytes.Length != n) throw new EndOfStreamException("Truncated TensorHmc checkpoint.");
        var t = empty(shape, dtype);
        if (t.bytes.Length != n) { t.Dispose(); throw new InvalidDataException($"Tensor of {dtype} [{string.Join(", ", shape)}] needs {t.bytes.Length} bytes, found {n}."); }
        t.bytes = bytes;
        return t;
    }

    public void Dispose()
    {
        Positions.Dispose(); LogProb.Dispose(); Gradient.Dispose(); Accepted.Dispose(); GeneratorState.Dispose();
    }
}
