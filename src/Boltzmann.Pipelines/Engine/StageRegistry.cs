namespace Boltzmann.Pipelines.Engine;

/// <summary>All known stage kinds, by name. The CLI registers the plain-C# kinds and the learning kinds.</summary>
public sealed class StageRegistry
{
    private readonly Dictionary<string, IStageKind> _kinds = new(StringComparer.Ordinal);

    public StageRegistry Add(IStageKind kind)
    {
        if (!_kinds.TryAdd(kind.Kind, kind))
            throw new InvalidOperationException($"Stage kind \"{kind.Kind}\" is registered twice.");
        return this;
    }

    public bool TryGet(string kind, out IStageKind stageKind) => _kinds.TryGetValue(kind, out stageKind!);

    public IReadOnlyCollection<IStageKind> All => _kinds.Values;

    public IEnumerable<string> Names => _kinds.Keys.OrderBy(k => k, StringComparer.Ordinal);
}
