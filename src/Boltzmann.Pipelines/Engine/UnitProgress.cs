namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// The progress sink a unit of a sharded stage reports to: every task's description is prefixed with the unit's
/// label, so the bars and lines of "sweeps" say which κ, β or instance they belong to.
/// </summary>
public sealed class UnitProgress(IProgressSink inner, string label) : IProgressSink
{
    public IProgressTask Start(string description, long total, string unit) => inner.Start($"[{label}] {description}", total, unit);
}
