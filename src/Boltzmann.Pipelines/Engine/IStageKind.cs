using System.Text.Json.Nodes;
using Boltzmann.Pipelines.Config;

namespace Boltzmann.Pipelines.Engine;

/// <summary>An input a stage kind needs: a role name and which upstream kinds may fill it.</summary>
public sealed record UpstreamSlot(string Role, IReadOnlyList<string> Kinds, bool Required = true, string Description = "");

/// <summary>
/// A kind of stage (NetKet-style plug-in): parses and validates its own typed parameters, declares its
/// inputs, and runs. A new sampler or model stage is one class registered in <see cref="StageRegistry"/>.
/// </summary>
public interface IStageKind
{
    /// <summary>Stable identifier used in pipeline files, e.g. "sk-pt".</summary>
    string Kind { get; }

    /// <summary>Algorithm version: bump it when the output for the same parameters changes (invalidates caches).</summary>
    int Version { get; }

    StagePhase Phase { get; }

    string Description { get; }

    IReadOnlyList<UpstreamSlot> Upstream { get; }

    /// <summary>Parses parameters, reporting errors into the reader; returns the typed parameter record.</summary>
    object Parse(ParameterReader reader);

    /// <summary>Cross-stage checks (e.g. a batch larger than the upstream dataset), reported into the reader.</summary>
    void Validate(object parameters, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader reader);

    /// <summary>The canonical JSON of the typed parameters (defaults filled in): what the cache key hashes.</summary>
    JsonNode Canonical(object parameters);

    Task RunAsync(StageContext context, object parameters);
}
