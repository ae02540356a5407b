namespace Boltzmann.Learning.Training;

/// <summary>
/// checkpoint.json of a training checkpoint: everything besides the binary tensors. <see cref="Files"/> holds
/// the SHA-256 of every other file of the checkpoint; checkpoint.sha256 holds the SHA-256 of this manifest.
/// </summary>
/// <param name="FormatVersion">Layout version (<see cref="TrainingCheckpoint.FormatVersion"/>).</param>
/// <param name="CompletedSteps">Steps completed when the checkpoint was written.</param>
/// <param name="ElapsedSeconds">Cumulative training wall time.</param>
/// <param name="Options">The numerics fingerprint of the <see cref="TrainingOptions"/> (name → canonical value).</param>
/// <param name="Tensors">Model parameters and buffers, in state-dict order.</param>
/// <param name="Generators">Registered torch generators, in registration order (states in generators.bin).</param>
/// <param name="RandomStreams">Registered xoshiro256** streams: name → the 4 state words.</param>
/// <param name="Divergence">The divergence monitor's state.</param>
/// <param name="Files">File name → lower-case hex SHA-256.</param>
/// <param name="TorchSharpVersion">TorchSharp assembly version that wrote the tensors.</param>
/// <param name="States">Registered job states (<see cref="ICheckpointState"/>), in registration order, each in
/// state-NAME.bin; null (omitted) when there are none, so checkpoints without job state keep their layout.</param>
public sealed record CheckpointManifest(
    int FormatVersion,
    long CompletedSteps,
    double ElapsedSeconds,
    Dictionary<string, string> Options,
    CheckpointTensorInfo[] Tensors,
    string[] Generators,
    Dictionary<string, ulong[]> RandomStreams,
    DivergenceMonitorState Divergence,
    Dictionary<string, string> Files,
    string TorchSharpVersion,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string[]? States = null);
