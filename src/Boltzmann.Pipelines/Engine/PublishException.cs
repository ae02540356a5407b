namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Mirroring a stage's publish/ folder into artifacts/ failed. The cached artifact is intact; the message names the
/// published folder so the user can see what is stale, and the staging copy has been removed.
/// </summary>
public sealed class PublishException(string stage, string destination, Exception inner)
    : IOException($"{stage}: could not publish to '{destination}': {inner.Message} (the cached output is intact; rerun to publish)", inner)
{
    /// <summary>The folder under artifacts/ that was not updated.</summary>
    public string Destination { get; } = destination;
}
