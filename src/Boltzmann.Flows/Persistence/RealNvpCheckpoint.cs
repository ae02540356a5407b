using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Boltzmann.IO;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Persistence;

/// <summary>
/// Saves and restores a <see cref="RealNvp"/> exactly: architecture and masks (JSON header), then every
/// parameter and the mask buffers (TorchSharp's state format), then a SHA-256 of everything before it.
/// Values are stored in the model dtype, so a restored flow produces bit-identical samples and log-probs.
/// Writes are atomic (<see cref="AtomicFile"/>); a truncated or altered file is rejected with a clear error
/// rather than loaded.
/// </summary>
public static class RealNvpCheckpoint
{
    /// <summary>Leading tag of the file.</summary>
    public const string Magic = "boltzmann-realnvp";

    /// <summary>Version of the layout written by <see cref="Save"/>.</summary>
    public const int FormatVersion = 1;

    private const int HashLength = 32;

    public static void Save(RealNvp flow, string path)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var o = flow.Options;
        var header = new RealNvpCheckpointHeader(FormatVersion, o.Dimension, o.Layers, o.Seed, o.HiddenLayers, o.Width,
                                                 o.NegativeSlope, o.Dtype.ToString(), flow.Masks.ToArray());
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(JsonSerializer.Serialize(header));
            flow.save(writer);
            writer.Flush();
        }
        var hash = SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length));
        payload.Write(hash);
        AtomicFile.WriteAllBytes(path, payload.GetBuffer().AsSpan(0, (int)payload.Length));
    }

    /// <summary>Reads only the header (architecture and masks), after verifying the file's checksum.</summary>
    public static RealNvpCheckpointHeader ReadHeader(string path)
    {
        var bytes = ReadVerified(path);
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - HashLength), Encoding.UTF8);
        return ReadHeader(reader, path);
    }

    /// <summary>
    /// Rebuilds the flow on <paramref name="device"/> (default CPU) and loads its parameters and masks.
    /// <paramref name="checkNumerics"/> sets <see cref="RealNvpOptions.CheckNumerics"/> of the restored flow.
    /// </summary>
    public static RealNvp Load(string path, Device? device = null, bool checkNumerics = true)
    {
        var bytes = ReadVerified(path);
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - HashLength), Encoding.UTF8);
        var header = ReadHeader(reader, path);
        var dtype = Enum.Parse<ScalarType>(header.Dtype);
        var options = new RealNvpOptions
        {
            Dimension = header.Dimension,
            Layers = header.Layers,
            Seed = header.Seed,
            HiddenLayers = header.HiddenLayers,
            HiddenWidth = header.HiddenWidth,
            NegativeSlope = header.NegativeSlope,
            Dtype = dtype,
            Device = device,
            CheckNumerics = checkNumerics,
        };
        var flow = new RealNvp(options, header.Masks);
        try
        {
            flow.load(reader, strict: true);
            var loadedMasks = flow.Masks;
            for (int l = 0; l < header.Layers; l++)
                if (!loadedMasks[l].SequenceEqual(header.Masks[l]))
                    throw new InvalidDataException($"{path}: mask of layer {l} in the weights disagrees with the header; the checkpoint is inconsistent.");
            return flow;
        }
        catch
        {
            flow.Dispose();
            throw;
        }
    }

    private static byte[] ReadVerified(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"RealNvp checkpoint '{path}' does not exist.", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length <= HashLength)
            throw new InvalidDataException($"{path}: {bytes.Length} bytes is too short to be a RealNvp checkpoint (truncated?).");
        var expected = SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength));
        if (!expected.AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
            throw new InvalidDataException($"{path}: SHA-256 mismatch; the checkpoint is corrupted or truncated and was not loaded.");
        return bytes;
    }

    private static RealNvpCheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        string magic;
        try { magic = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { throw new InvalidDataException($"{path}: not a RealNvp checkpoint.", e); }
        if (magic != Magic) throw new InvalidDataException($"{path}: not a RealNvp checkpoint (tag '{magic}', expected '{Magic}').");
        int version = reader.ReadInt32();
        if (version != FormatVersion)
            throw new InvalidDataException($"{path}: checkpoint format version {version} is not supported; this build reads version {FormatVersion}.");
        var header = JsonSerializer.Deserialize<RealNvpCheckpointHeader>(reader.ReadString())
                     ?? throw new InvalidDataException($"{path}: empty checkpoint header.");
        if (header.Masks is null || header.Masks.Length != header.Layers)
            throw new InvalidDataException($"{path}: header lists {header.Masks?.Length ?? 0} masks for {header.Layers} layers.");
        if (!Enum.TryParse<ScalarType>(header.Dtype, out var dtype) || dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new InvalidDataException($"{path}: header dtype '{header.Dtype}' is not Float32 or Float64.");
        return header;
    }
}
