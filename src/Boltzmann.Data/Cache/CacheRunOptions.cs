namespace Boltzmann.Data.Cache;

/// <summary>Options of <see cref="ArtifactCache.GetOrComputeAsync"/>.</summary>
/// <param name="Force">Recompute even when a valid artifact exists (the <c>--force</c> flag); the work directory is started afresh.</param>
/// <param name="LockTimeout">How long to wait for another run writing the same key; null waits for ever.</param>
/// <param name="Warn">Receives warnings (a corrupt artifact being recomputed); null ignores them.</param>
public sealed record CacheRunOptions(bool Force = false, TimeSpan? LockTimeout = null, Action<string>? Warn = null);
