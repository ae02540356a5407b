namespace Boltzmann.Data.Cache;

/// <summary>Outcome of looking a key up in the cache.</summary>
public enum CacheLookupStatus
{
    /// <summary>A committed artifact whose every output matches its manifest.</summary>
    Hit,
    /// <summary>Nothing committed for this key.</summary>
    Miss,
    /// <summary>
    /// Something is committed but cannot be trusted (an output's presence, size or hash differs from the
    /// manifest, or the manifest is unreadable or belongs to another key). Treat as a miss and recompute,
    /// warning with <see cref="CacheLookup.Reason"/>; never use the files.
    /// </summary>
    Corrupt,
}

/// <summary>Result of <see cref="ArtifactCache.Lookup"/>.</summary>
/// <param name="Status">Hit, miss or corrupt.</param>
/// <param name="Artifact">The verified artifact on a hit, else null.</param>
/// <param name="Reason">Why it is a miss or corrupt (names the offending file), null on a hit.</param>
public sealed record CacheLookup(CacheLookupStatus Status, Artifact? Artifact, string? Reason)
{
    /// <summary>True on a verified hit (then <see cref="Artifact"/> is non-null).</summary>
    public bool IsHit => Status == CacheLookupStatus.Hit;

    internal static CacheLookup Hit(Artifact artifact) => new(CacheLookupStatus.Hit, artifact, null);

    internal static CacheLookup Miss(string reason) => new(CacheLookupStatus.Miss, null, reason);

    internal static CacheLookup Corrupt(string reason) => new(CacheLookupStatus.Corrupt, null, reason);
}
