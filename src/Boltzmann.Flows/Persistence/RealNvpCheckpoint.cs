using Boltzmann.Flows.Coupling;
using Boltzmann.Learning.Persistence;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Persistence;

/// <summary>
/// A <see cref="RealNvp"/> as a <see cref="ModuleCheckpoint"/>: the options are the <see cref="RealNvpCheckpointHeader"/>
/// (architecture and masks), the state is every parameter and mask buffer. Kind tag "boltzmann-realnvp", layout
/// version 2: the conditioners are stored compactly (first layer [width, |B|], last layer [|A|, width] and bias [|A|],
/// <see cref="Coupling.ConditionerMlp"/>). Version 1 stored the full masked N → … → N networks; such a file is refused
/// with a message naming both versions (the stages that wrote them have new versions, so no cache entry points to one).
/// </summary>
public static class RealNvpCheckpoint
{
    /// <summary>Kind tag and layout version of RealNvp checkpoint files (2: compact conditioners).</summary>
    public static readonly ModuleCheckpointKind Kind = new("boltzmann-realnvp", 2);

    public static void Save(RealNvp flow, string path)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var o = flow.Options;
        var header = new RealNvpCheckpointHeader(Kind.Version, o.Dimension, o.Layers, o.Seed, o.HiddenLayers, o.Width,
                                                 o.NegativeSlope, o.Dtype.ToString(), flow.Masks.ToArray());
        ModuleCheckpoint.Save(path, header, flow, Kind);
    }

    /// <summary>Reads only the header (architecture and masks), after verifying the file's checksum.</summary>
    public static RealNvpCheckpointHeader ReadHeader(string path) => Validated(ModuleCheckpoint.ReadOptions<RealNvpCheckpointHeader>(path, Kind), path);

    /// <summary>
    /// Rebuilds the flow on <paramref name="device"/> (default CPU) and loads its parameters and masks.
    /// <paramref name="checkNumerics"/> sets <see cref="RealNvpOptions.CheckNumerics"/> of the restored flow.
    /// </summary>
    public static RealNvp Load(string path, Device? device = null, bool checkNumerics = true)
    {
        try
        {
            return ModuleCheckpoint.Load<RealNvpCheckpointHeader, RealNvp>(path, h =>
            {
                Validated(h, path);
                return new RealNvp(new RealNvpOptions
                {
                    Dimension = h.Dimension, Layers = h.Layers, Seed = h.Seed, HiddenLayers = h.HiddenLayers, HiddenWidth = h.HiddenWidth,
                    NegativeSlope = h.NegativeSlope, Dtype = Enum.Parse<ScalarType>(h.Dtype), Device = device, CheckNumerics = checkNumerics,
                }, h.Masks);
            }, Kind);
        }
        catch (InvalidDataException e) when (AffineCoupling.IsMaskMismatch(e))
        {
            // The flow was built from the header's masks, so a mask buffer in the weights that differs contradicts the header.
            throw new InvalidDataException($"{path}: the masks in the weights disagree with the header; the checkpoint is inconsistent ({e.Message}).", e);
        }
    }

    private static RealNvpCheckpointHeader Validated(RealNvpCheckpointHeader header, string path)
    {
        if (header.Masks is null || header.Masks.Length != header.Layers)
            throw new InvalidDataException($"{path}: header lists {header.Masks?.Length ?? 0} masks for {header.Layers} layers.");
        if (!Enum.TryParse<ScalarType>(header.Dtype, out var dtype) || dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new InvalidDataException($"{path}: header dtype '{header.Dtype}' is not Float32 or Float64.");
        return header;
    }
}
