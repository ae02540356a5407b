namespace Boltzmann.Flows.Persistence;

/// <summary>
/// The options of a <see cref="RealNvpCheckpoint"/> (a <c>ModuleCheckpoint</c>), stored as JSON ahead of the weights: enough
/// to rebuild the module before loading its state, plus the masks in readable form (they are also buffers in the
/// state and must agree on load).
/// </summary>
public sealed record RealNvpCheckpointHeader(
    int FormatVersion,
    int Dimension,
    int Layers,
    ulong Seed,
    int HiddenLayers,
    int HiddenWidth,
    double NegativeSlope,
    string Dtype,
    bool[][] Masks);
