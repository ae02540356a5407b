using System.Text.Json.Nodes;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// A stage of a pipeline after its profile was applied and its parameters parsed and validated.
/// <paramref name="Upstream"/> maps each input role to the name of the stage that fills it.
/// <paramref name="Seed"/> is the stage's own seed: the pipeline seed mixed with the stage name (or an
/// explicit "seed"), so every random stream derives from (run seed, stage identity).
/// <paramref name="Resources"/> is the stage's cluster resource request from the pipeline file (not part of its key).
/// </summary>
public sealed record ResolvedStage(
    string Name,
    IStageKind Kind,
    object Parameters,
    JsonNode CanonicalParameters,
    ulong Seed,
    IReadOnlyDictionary<string, string> Upstream,
    string Description,
    StageResources? Resources = null);

/// <summary>A validated pipeline for one profile, stages in dependency (topological) order.</summary>
public sealed record ResolvedPipeline(
    string Name,
    string Description,
    string File,
    string Profile,
    ulong Seed,
    IReadOnlyList<ResolvedStage> Stages)
{
    public ResolvedStage Stage(string name) =>
        Stages.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"Pipeline \"{Name}\" has no stage \"{name}\"; stages: {string.Join(", ", Stages.Select(s => s.Name))}.");

    /// <summary>The named stages and everything upstream of them, in dependency order.</summary>
    public IReadOnlyList<ResolvedStage> Closure(IEnumerable<string> names)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(names);
        while (stack.Count > 0)
        {
            var s = Stage(stack.Pop());
            if (!needed.Add(s.Name)) continue;
            foreach (var up in s.Upstream.Values) stack.Push(up);
        }
        return Stages.Where(s => needed.Contains(s.Name)).ToList();
    }
}
