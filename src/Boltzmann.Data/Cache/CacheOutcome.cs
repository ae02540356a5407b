namespace Boltzmann.Data.Cache;

/// <summary>Result of <see cref="ArtifactCache.GetOrComputeAsync"/>.</summary>
/// <param name="Artifact">The verified artifact.</param>
/// <param name="Computed">True when this call ran the stage; false on a cache hit (or another run's commit).</param>
/// <param name="Resumed">True when the stage ran on a work directory left by an interrupted run.</param>
/// <param name="Warning">The corrupt-artifact warning, if one was raised.</param>
public sealed record CacheOutcome(Artifact Artifact, bool Computed, bool Resumed, string? Warning);
