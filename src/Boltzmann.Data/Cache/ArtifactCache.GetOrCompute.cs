namespace Boltzmann.Data.Cache;

public sealed partial class ArtifactCache
{
    /// <summary>
    /// The whole stage protocol: a verified hit is returned as is; otherwise (or with <see cref="CacheRunOptions.Force"/>)
    /// the key is locked, re-checked (another run may have finished it meanwhile), <paramref name="compute"/> writes the
    /// outputs into the session's work directory and returns the manifest (stage name and provenance), and the result is
    /// committed. A corrupt artifact is reported through <see cref="CacheRunOptions.Warn"/> and recomputed. If
    /// <paramref name="compute"/> throws, the lock is released and the work directory kept for resuming.
    /// </summary>
    public async Task<CacheOutcome> GetOrComputeAsync(
        CacheKey key,
        Func<ArtifactWriteSession, CancellationToken, Task<ArtifactManifest>> compute,
        CacheRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(compute);
        options ??= new CacheRunOptions();
        string? warning = null;
        if (!options.Force)
        {
            warning = CheckBeforeLock(key, options, out var hit);
            if (hit is not null) return new CacheOutcome(hit, Computed: false, Resumed: false, null);
        }

        using var begin = await BeginWriteAsync(key, options.LockTimeout ?? Timeout.InfiniteTimeSpan, options.Force, cancellationToken)
            .ConfigureAwait(false);
        if (begin.Existing is { } existing) return new CacheOutcome(existing, Computed: false, Resumed: false, warning);
        var session = begin.Session!;
        var manifest = await compute(session, cancellationToken).ConfigureAwait(false);
        var artifact = session.Commit(manifest);
        return new CacheOutcome(artifact, Computed: true, session.Resumed, warning);
    }

    /// <summary>Synchronous <see cref="GetOrComputeAsync"/>.</summary>
    public CacheOutcome GetOrCompute(CacheKey key, Func<ArtifactWriteSession, ArtifactManifest> compute, CacheRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(compute);
        options ??= new CacheRunOptions();
        string? warning = null;
        if (!options.Force)
        {
            warning = CheckBeforeLock(key, options, out var hit);
            if (hit is not null) return new CacheOutcome(hit, Computed: false, Resumed: false, null);
        }

        using var begin = BeginWrite(key, options.LockTimeout ?? Timeout.InfiniteTimeSpan, options.Force);
        if (begin.Existing is { } existing) return new CacheOutcome(existing, Computed: false, Resumed: false, warning);
        var session = begin.Session!;
        var artifact = session.Commit(compute(session));
        return new CacheOutcome(artifact, Computed: true, session.Resumed, warning);
    }

    private string? CheckBeforeLock(CacheKey key, CacheRunOptions options, out Artifact? hit)
    {
        var lookup = Lookup(key);
        hit = lookup.Artifact;
        if (lookup.Status != CacheLookupStatus.Corrupt) return null;
        var warning = $"Cached artifact {key} is corrupt and will be recomputed: {lookup.Reason}";
        options.Warn?.Invoke(warning);
        return warning;
    }
}
