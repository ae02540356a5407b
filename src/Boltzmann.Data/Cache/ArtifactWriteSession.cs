using System.Diagnostics;

namespace Boltzmann.Data.Cache;

/// <summary>
/// Exclusive right to produce one artifact: holds the key's inter-process lock and a persistent work
/// directory (<c>&lt;root&gt;/&lt;kind&gt;/.work/&lt;short-key&gt;/</c>) in which the stage writes its outputs.
/// </summary>
/// <remarks>
/// The work directory survives a killed run, so a stage may checkpoint there and continue on the next run
/// (<see cref="Resumed"/> tells it so). Checkpoint files that are not outputs belong under
/// <see cref="ScratchDirectory"/>: they are excluded from the manifest and removed at commit. Disposing without
/// committing releases the lock and keeps the work directory; nothing becomes visible in the cache until
/// <see cref="Commit"/> renames the finished directory into place.
/// </remarks>
public sealed class ArtifactWriteSession : IDisposable
{
    private readonly ArtifactCache _cache;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, long> _rows = new(StringComparer.Ordinal);
    private CacheLock? _lock;
    private bool _finished;

    internal ArtifactWriteSession(ArtifactCache cache, CacheKey key, CacheLock heldLock, string workDirectory, bool resumed)
    {
        _cache = cache;
        Key = key;
        _lock = heldLock;
        WorkDirectory = workDirectory;
        Resumed = resumed;
    }

    /// <summary>The key being written.</summary>
    public CacheKey Key { get; }

    /// <summary>Absolute path of the work directory (exists while the session is open).</summary>
    public string WorkDirectory { get; }

    /// <summary>Absolute path of the scratch subdirectory for checkpoints (not created until asked for via <see cref="GetScratchPath"/>).</summary>
    public string ScratchDirectory => Path.Combine(WorkDirectory, ArtifactCache.ScratchDirectoryName);

    /// <summary>True when the work directory was left non-empty by an earlier, interrupted run.</summary>
    public bool Resumed { get; private set; }

    /// <summary>True once <see cref="Commit"/> succeeded.</summary>
    public bool IsCommitted { get; private set; }

    /// <summary>Time since the session began (the default wall time recorded at commit).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// Absolute path for an output file given relative to the artifact ('/' or the OS separator), creating its
    /// parent directories. <c>manifest.json</c> and <c>.scratch/</c> at the top level are reserved.
    /// </summary>
    public string GetOutputPath(string relativePath)
    {
        EnsureOpen();
        var normalized = RelativePath.Normalize(relativePath, "Output path");
        if (IsReserved(normalized))
            throw new ArgumentException(
                $"Output path '{relativePath}' is reserved by the cache (manifest.json and .scratch/ at the top level).", nameof(relativePath));
        var path = RelativePath.Combine(WorkDirectory, normalized);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Absolute path for a checkpoint file under <see cref="ScratchDirectory"/>, creating its parent directories.</summary>
    public string GetScratchPath(string relativePath)
    {
        EnsureOpen();
        var normalized = RelativePath.Normalize(relativePath, "Scratch path");
        var path = RelativePath.Combine(ScratchDirectory, normalized);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Records the row count of a table output, stored in the manifest at commit.</summary>
    public void RecordRows(string relativePath, long rows)
    {
        EnsureOpen();
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        _rows[RelativePath.Normalize(relativePath, "Output path")] = rows;
    }

    /// <summary>
    /// Empties the work directory (e.g. when a checkpoint turns out unusable), leaving an empty one;
    /// <see cref="Resumed"/> becomes false and recorded row counts are forgotten.
    /// </summary>
    public void ResetWorkDirectory()
    {
        EnsureOpen();
        _cache.RemoveDirectory(WorkDirectory, Key.Kind);
        Directory.CreateDirectory(WorkDirectory);
        _rows.Clear();
        Resumed = false;
    }

    /// <summary>
    /// Publishes the work directory as the artifact: hashes every file in it except <see cref="ScratchDirectory"/>,
    /// writes <c>manifest.json</c>, removes the scratch directory and renames the work directory into place
    /// atomically (replacing a corrupt or, with force, an older artifact).
    /// </summary>
    /// <param name="manifest">
    /// Stage name and provenance (see <see cref="ArtifactManifest.ForKey"/>). Its outputs must be empty (they are
    /// computed here); key fields left at their defaults are filled from <see cref="Key"/> and set ones must agree
    /// with it; a zero wall time becomes <see cref="Elapsed"/>; a default creation time becomes now.
    /// </param>
    /// <returns>The committed artifact.</returns>
    public Artifact Commit(ArtifactManifest manifest)
    {
        EnsureOpen();
        var artifact = _cache.Commit(this, manifest, _rows);
        IsCommitted = true;
        _finished = true;
        return artifact;
    }

    /// <summary>Deletes the work directory (nothing is committed). The session cannot be used afterwards except to dispose it.</summary>
    public void Discard()
    {
        EnsureOpen();
        _cache.RemoveDirectory(WorkDirectory, Key.Kind);
        _finished = true;
    }

    /// <summary>Releases the lock. Without a commit the work directory stays, so a later run can resume from it.</summary>
    public void Dispose()
    {
        _finished = true;
        Interlocked.Exchange(ref _lock, null)?.Dispose();
    }

    internal static bool IsReserved(string normalized)
        => normalized is ArtifactCache.ManifestFileName or ArtifactCache.ManifestTempFileName
           || normalized == ArtifactCache.ScratchDirectoryName
           || normalized.StartsWith(ArtifactCache.ScratchDirectoryName + "/", StringComparison.Ordinal);

    private void EnsureOpen()
    {
        if (_lock is null) throw new ObjectDisposedException(nameof(ArtifactWriteSession), $"The write session of {Key} is disposed.");
        if (_finished)
            throw new InvalidOperationException($"The write session of {Key} is already {(IsCommitted ? "committed" : "discarded")}.");
    }
}
