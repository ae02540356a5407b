using System.Text.Json.Serialization;

namespace Boltzmann.Stages.Sk.Instances;

/// <summary>
/// Parameters of <see cref="SkInstancesStage"/>. Either generated (J_ij ~ N(0, J^2/N), uniform field h)
/// from the stage seed, or loaded from a couplings file (full CSV matrix or i,j,J triplets) and an
/// optional fields file. The files' SHA-256 is part of the parameters, so editing a file changes the key.
/// </summary>
public sealed record SkInstancesParameters(
    int N,
    int Count,
    double J,
    double H,
    string? CouplingsFile,
    string? CouplingsSha256,
    string? FieldsFile,
    string? FieldsSha256)
{
    /// <summary>Absolute paths (resolved against the pipeline file's folder); not part of the key.</summary>
    [JsonIgnore] public string? CouplingsPath { get; init; }
    [JsonIgnore] public string? FieldsPath { get; init; }
}
