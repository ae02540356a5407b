namespace Boltzmann.Data.Cache;

/// <summary>One directory in the cache, as listed by <see cref="ArtifactCache.List"/> for a status display.</summary>
/// <param name="Kind">Stage kind.</param>
/// <param name="ShortKey">Short key (directory name).</param>
/// <param name="StageName">Stage name from the manifest, when readable.</param>
/// <param name="SizeOnDisk">Total bytes of the files in the directory.</param>
/// <param name="CreatedUtc">Commit time from the manifest, when readable.</param>
/// <param name="ManifestValid">True for a committed artifact whose manifest is readable, belongs to this key and whose
/// outputs are present with the recorded sizes (and hashes, when listing with verification).</param>
/// <param name="Problem">Why it is not valid, or what an uncommitted work directory is doing; null when valid.</param>
/// <param name="IsWorkDirectory">True for an uncommitted work directory (<c>.work/</c>).</param>
/// <param name="Directory">Absolute path.</param>
public sealed record CacheEntry(
    string Kind,
    string ShortKey,
    string? StageName,
    long SizeOnDisk,
    DateTimeOffset? CreatedUtc,
    bool ManifestValid,
    string? Problem,
    bool IsWorkDirectory,
    string Directory);
