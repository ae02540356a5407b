using System.Text.Json;
using Boltzmann.Physics.Sk;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Sk.Instances;

/// <summary>Reads the instances an sk-instances stage wrote, verifying each against its recorded hash.</summary>
public static class SkInstanceStore
{
    public const string IndexFile = "instances.json";

    public static string FileName(int index) => $"instances/instance-{index:D3}.csv";

    public static string FieldsFileName(int index) => $"instances/fields-{index:D3}.csv";

    public static IReadOnlyList<SkInstanceEntry> Entries(UpstreamArtifact artifact) =>
        JsonSerializer.Deserialize<List<SkInstanceEntry>>(File.ReadAllText(artifact.PathOf(IndexFile)), JsonDefaults.Indented)
        ?? throw new StageInputException($"{artifact.PathOf(IndexFile)}: empty instance index");

    public static SkInstance Load(UpstreamArtifact artifact, SkInstanceEntry entry)
    {
        var instance = CouplingsFile.Load(artifact.PathOf(entry.File), artifact.PathOf(FieldsFileName(entry.Index)));
        if (instance.ContentHash() != entry.Hash)
            throw new StageInputException($"{artifact.PathOf(entry.File)}: couplings hash {instance.ContentHash()[..12]} does not match the recorded {entry.Hash[..12]}");
        return instance;
    }
}
