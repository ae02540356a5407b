namespace Boltzmann.Data.Cache;

/// <summary>
/// Content-addressed store of stage outputs. Each artifact lives in <c>&lt;root&gt;/&lt;kind&gt;/&lt;short-key&gt;/</c>
/// (outputs plus <c>manifest.json</c>); it is produced in <c>&lt;root&gt;/&lt;kind&gt;/.work/&lt;short-key&gt;/</c> under an
/// inter-process lock (<c>&lt;root&gt;/&lt;kind&gt;/.locks/&lt;short-key&gt;.lock</c>) and published by one directory rename.
/// </summary>
/// <remarks>
/// Crash safety: the only operations that change what a reader sees are directory renames, which are atomic
/// on one file system. Commit writes the manifest inside the invisible work directory, moves any old
/// artifact to <c>.trash/</c>, then renames; a run killed between any two steps leaves either no artifact (a
/// miss; the next writer finishes or redoes the commit) or a complete one. Deletions also go through
/// <c>.trash/</c>, so no half-deleted artifact is ever visible. Integrity does not rely on fsync: every hit is
/// re-verified against the SHA-256 of every output, so a file damaged by a power loss or by hand is reported
/// as <see cref="CacheLookupStatus.Corrupt"/> and recomputed, never used.
/// </remarks>
public sealed partial class ArtifactCache
{
    /// <summary>Environment variable overriding the cache root (so CI can keep the cache between jobs).</summary>
    public const string RootEnvironmentVariable = "BOLTZMANN_CACHE";

    /// <summary>Manifest file name inside an artifact directory.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>Temporary manifest name while it is being written.</summary>
    public const string ManifestTempFileName = "manifest.json.tmp";

    /// <summary>Name of the checkpoint subdirectory of a work directory; never part of an artifact.</summary>
    public const string ScratchDirectoryName = ".scratch";

    private const string WorkDirectoryName = ".work";
    private const string LockDirectoryName = ".locks";
    private const string TrashDirectoryName = ".trash";

    /// <summary>Creates a cache rooted at <paramref name="root"/> (created on first write).</summary>
    public ArtifactCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>Absolute cache root.</summary>
    public string Root { get; }

    /// <summary>Test hook: called after each commit step; throwing from it simulates a crash at that point.</summary>
    internal Action<CommitStep>? FaultInjector { get; set; }

    /// <summary>
    /// The cache root: <c>$BOLTZMANN_CACHE</c> when set and non-blank (a relative value is taken relative to
    /// <paramref name="repoRoot"/>), else <c>&lt;repoRoot&gt;/data</c>.
    /// </summary>
    public static string DefaultRoot(string repoRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoRoot);
        var repo = Path.GetFullPath(repoRoot);
        var overridden = Environment.GetEnvironmentVariable(RootEnvironmentVariable);
        return string.IsNullOrWhiteSpace(overridden)
            ? Path.Combine(repo, "data")
            : Path.GetFullPath(overridden.Trim(), repo);
    }

    /// <summary>Directory of a committed artifact (it may not exist).</summary>
    public string ArtifactDirectory(CacheKey key) => Path.Combine(Root, key.Kind, key.Short);

    /// <summary>Work directory of a key (it may not exist).</summary>
    public string WorkDirectory(CacheKey key) => Path.Combine(Root, key.Kind, WorkDirectoryName, key.Short);

    /// <summary>Lock file of a key.</summary>
    public string LockFilePath(CacheKey key) => LockFilePath(key.Kind, key.Short);

    private string LockFilePath(string kind, string shortKey) => Path.Combine(Root, kind, LockDirectoryName, shortKey + ".lock");

    /// <summary>
    /// Looks a key up, verifying the manifest (readable, same key, recorded inputs hash to that key) and the
    /// presence, size and full SHA-256 of every output. Takes no lock.
    /// </summary>
    public CacheLookup Lookup(CacheKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var dir = ArtifactDirectory(key);
        if (!Directory.Exists(dir)) return CacheLookup.Miss($"no artifact for {key} in {Root}");
        var (manifest, problem) = CheckDirectory(dir, key.Full, verifyHashes: true);
        return problem is null ? CacheLookup.Hit(new Artifact(key, dir, manifest!)) : CacheLookup.Corrupt(problem);
    }

    /// <summary>
    /// Takes the key's exclusive lock (waiting up to <paramref name="lockTimeout"/>) and then re-checks the
    /// cache: if another run committed the key meanwhile, or a killed run had fully prepared its commit (which
    /// is then completed), the result is <see cref="BeginWriteResult.AlreadyCommitted"/> and the lock is released.
    /// Otherwise the result holds a <see cref="ArtifactWriteSession"/> on the key's work directory.
    /// </summary>
    /// <param name="key">Key to write.</param>
    /// <param name="lockTimeout">Maximum wait for the lock; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="force">Recompute even if a valid artifact exists; a leftover work directory is discarded.</param>
    /// <exception cref="TimeoutException">Another run held the lock for the whole timeout.</exception>
    public BeginWriteResult BeginWrite(CacheKey key, TimeSpan lockTimeout, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        var held = CacheLock.Acquire(LockFilePath(key), lockTimeout);
        return AfterLock(key, held, force);
    }

    /// <summary>
    /// <see cref="BeginWriteAsync(CacheKey, TimeSpan, bool, CancellationToken)"/> with a wait policy: e.g. wait as long
    /// as the recorded holder is alive, telling <see cref="LockWait.OnWaiting"/> who it is.
    /// </summary>
    /// <exception cref="CacheLockException">The lock cannot be taken for a reason other than another run holding it.</exception>
    public async Task<BeginWriteResult> BeginWriteAsync(CacheKey key, LockWait wait, bool force = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(wait);
        var held = await CacheLock.AcquireAsync(LockFilePath(key), wait, cancellationToken).ConfigureAwait(false);
        return AfterLock(key, held, force);
    }

    /// <summary>Asynchronous <see cref="BeginWrite"/> (waits for the lock without blocking a thread).</summary>
    public async Task<BeginWriteResult> BeginWriteAsync(CacheKey key, TimeSpan lockTimeout, bool force = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var held = await CacheLock.AcquireAsync(LockFilePath(key), lockTimeout, cancellationToken).ConfigureAwait(false);
        return AfterLock(key, held, force);
    }

    private BeginWriteResult AfterLock(CacheKey key, CacheLock held, bool force)
    {
        try
        {
            var work = WorkDirectory(key);
            string? previousProblem = null;
            if (force)
            {
                if (Directory.Exists(work)) RemoveDirectory(work, key.Kind);
            }
            else
            {
                var lookup = Lookup(key);
                if (lookup.IsHit)
                {
                    held.Dispose();
                    return new BeginWriteResult(null, lookup.Artifact, null, rolledForward: false);
                }
                if (lookup.Status == CacheLookupStatus.Corrupt) previousProblem = lookup.Reason;

                if (TryRollForward(key, work) is { } finished)
                {
                    held.Dispose();
                    return new BeginWriteResult(null, finished, previousProblem, rolledForward: true);
                }
            }

            var resumed = Directory.Exists(work) && Directory.EnumerateFileSystemEntries(work).Any();
            Directory.CreateDirectory(work);
            return new BeginWriteResult(new ArtifactWriteSession(this, key, held, work, resumed), null, previousProblem, rolledForward: false);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// If a killed run left a work directory whose manifest is complete and matches its outputs, publishes it;
    /// otherwise removes any stale manifest from the work directory so the resumed stage starts clean of it.
    /// </summary>
    private Artifact? TryRollForward(CacheKey key, string work)
    {
        if (!Directory.Exists(work)) return null;
        var temp = Path.Combine(work, ManifestTempFileName);
        if (File.Exists(temp)) File.Delete(temp);
        var manifestPath = Path.Combine(work, ManifestFileName);
        if (!File.Exists(manifestPath)) return null;
        var (manifest, problem) = CheckDirectory(work, key.Full, verifyHashes: true);
        if (problem is null) return Publish(key, work, manifest!);
        File.Delete(manifestPath);
        return null;
    }

    /// <summary>Commit of a session; see <see cref="ArtifactWriteSession.Commit"/>.</summary>
    internal Artifact Commit(ArtifactWriteSession session, ArtifactManifest manifest, IReadOnlyDictionary<string, long> rows)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var key = session.Key;
        var work = session.WorkDirectory;
        if (!Directory.Exists(work))
            throw new InvalidOperationException($"Work directory '{work}' of {key} vanished before commit.");
        if (string.IsNullOrEmpty(manifest.StageName))
            throw new ArgumentException($"The manifest committed for {key} needs a stage name.", nameof(manifest));
        if (manifest.Outputs.Count > 0)
            throw new ArgumentException($"The manifest committed for {key} must not list outputs: commit computes them from the work directory.", nameof(manifest));
        CheckAgrees(key, manifest);

        var files = ListOutputFiles(work);
        var fileSet = files.ToHashSet(StringComparer.Ordinal);
        foreach (var path in rows.Keys)
            if (!fileSet.Contains(path))
                throw new InvalidOperationException($"Rows were recorded for '{path}' but {key}'s work directory has no such output file.");

        var absolute = files.Select(f => RelativePath.Combine(work, f)).ToArray();
        var hashes = FileHasher.Sha256Hex(absolute);
        var outputs = new ArtifactOutput[files.Count];
        for (var i = 0; i < files.Count; i++)
            outputs[i] = new ArtifactOutput(files[i], hashes[i], new FileInfo(absolute[i]).Length,
                rows.TryGetValue(files[i], out var r) ? r : null);
        Step(CommitStep.OutputsHashed);

        var complete = manifest with
        {
            Key = key.Full,
            Kind = key.Kind,
            Version = key.Version,
            Parameters = key.CanonicalParameters,
            Seed = key.Seed,
            UpstreamKeys = key.UpstreamKeys,
            Outputs = outputs,
            CreatedUtc = manifest.CreatedUtc == default ? DateTimeOffset.UtcNow : manifest.CreatedUtc.ToUniversalTime(),
            WallTimeSeconds = manifest.WallTimeSeconds == 0 ? session.Elapsed.TotalSeconds : manifest.WallTimeSeconds,
            RuntimeVersion = manifest.RuntimeVersion ?? PackageVersions.RuntimeVersion,
        };
        var bytes = ArtifactManifestJson.ToUtf8(complete);
        var temp = Path.Combine(work, ManifestTempFileName);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        Step(CommitStep.ManifestTempWritten);
        File.Move(temp, Path.Combine(work, ManifestFileName), overwrite: true);
        Step(CommitStep.ManifestWritten);

        return Publish(key, work, complete);
    }

    /// <summary>
    /// Makes a work directory holding a complete manifest visible as the artifact: scratch aside, old artifact
    /// aside, one rename, then the trash is emptied.
    /// </summary>
    private Artifact Publish(CacheKey key, string work, ArtifactManifest manifest)
    {
        var trashed = new List<string>(2);
        var scratch = Path.Combine(work, ScratchDirectoryName);
        if (Directory.Exists(scratch)) trashed.Add(MoveToTrash(scratch, key.Kind, key.Short + ".scratch"));
        Step(CommitStep.ScratchMovedAside);

        var final = ArtifactDirectory(key);
        if (Directory.Exists(final)) trashed.Add(MoveToTrash(final, key.Kind, key.Short));
        Step(CommitStep.OldArtifactMovedAside);

        Directory.Move(work, final);
        Step(CommitStep.Published);

        foreach (var t in trashed) DeleteQuietly(t);
        return new Artifact(key, final, manifest);
    }

    private void Step(CommitStep step) => FaultInjector?.Invoke(step);

    /// <summary>Rejects a manifest whose key fields were set to values other than the session key's.</summary>
    private static void CheckAgrees(CacheKey key, ArtifactManifest m)
    {
        void Fail(string field, object? given, object? expected) => throw new ArgumentException(
            $"The manifest committed for {key} has {field} = '{given}', but the key has '{expected}'.", nameof(m));

        if (m.Key.Length > 0 && m.Key != key.Full) Fail("key", m.Key, key.Full);
        if (m.Kind.Length > 0 && m.Kind != key.Kind) Fail("kind", m.Kind, key.Kind);
        if (m.Version != 0 && m.Version != key.Version) Fail("version", m.Version, key.Version);
        if (m.Parameters != "null" && m.Parameters != key.CanonicalParameters) Fail("parameters", m.Parameters, key.CanonicalParameters);
        if (m.Seed != 0 && m.Seed != key.Seed) Fail("seed", m.Seed, key.Seed);
        if (m.UpstreamKeys.Count > 0 &&
            (m.UpstreamKeys.Count != key.UpstreamKeys.Count ||
             m.UpstreamKeys.Any(p => !key.UpstreamKeys.TryGetValue(p.Key, out var v) || v != p.Value)))
            Fail("upstream keys", string.Join(",", m.UpstreamKeys), string.Join(",", key.UpstreamKeys));
    }

    /// <summary>Relative paths ('/'-separated, sorted ordinally) of the output files in a work directory.</summary>
    private static List<string> ListOutputFiles(string work)
    {
        var result = new List<string>();
        void Walk(string dir, string prefix)
        {
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                var relative = prefix + entry.Name;
                if (entry.LinkTarget is not null)
                    throw new InvalidOperationException(
                        $"'{entry.FullName}' is a symbolic link; artifacts must contain real files (copy the target).");
                if (entry is DirectoryInfo sub)
                {
                    if (prefix.Length == 0 && entry.Name == ScratchDirectoryName) continue;
                    Walk(sub.FullName, relative + "/");
                }
                else if (Boltzmann.IO.AtomicFile.IsTemporary(entry.Name))
                {
                    // A write a kill interrupted: garbage, never an output. Removed so it is not published either.
                    entry.Delete();
                }
                else if (!(prefix.Length == 0 && entry.Name is ManifestFileName or ManifestTempFileName))
                {
                    result.Add(relative);
                }
            }
        }
        Walk(work, "");
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>
    /// Reads and checks the manifest of an artifact (or prepared work) directory against the expected key and
    /// its outputs. Returns the manifest and null, or a problem naming the file at fault.
    /// </summary>
    private static (ArtifactManifest? Manifest, string? Problem) CheckDirectory(string dir, string? expectedFullKey, bool verifyHashes)
    {
        var manifestPath = Path.Combine(dir, ManifestFileName);
        ArtifactManifest m;
        try
        {
            m = ArtifactManifestJson.Read(manifestPath);
        }
        catch (FileNotFoundException)
        {
            return (null, $"{manifestPath} is missing");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return (null, $"{manifestPath} is unreadable: {e.Message}");
        }

        if (expectedFullKey is not null && m.Key != expectedFullKey)
            return (m, $"{manifestPath} records key {m.Key}, not the requested {expectedFullKey}");
        try
        {
            var recomputed = m.RecomputeKey();
            if (recomputed.Full != m.Key)
                return (m, $"{manifestPath}: its kind, version, parameters, seed and upstream keys hash to {recomputed.Full}, not to its recorded key {m.Key}");
        }
        catch (ArgumentException e)
        {
            return (m, $"{manifestPath} has invalid key inputs: {e.Message}");
        }

        var paths = new string[m.Outputs.Count];
        for (var i = 0; i < m.Outputs.Count; i++)
        {
            var o = m.Outputs[i];
            paths[i] = RelativePath.Combine(dir, o.Path);
            var info = new FileInfo(paths[i]);
            if (!info.Exists)
                return (m, $"output '{o.Path}' listed in {manifestPath} is missing ({paths[i]})");
            if (info.Length != o.Bytes)
                return (m, $"output '{o.Path}' ({paths[i]}) has {info.Length} bytes but {manifestPath} records {o.Bytes}");
        }
        if (!verifyHashes) return (m, null);

        string[] hashes;
        try
        {
            hashes = FileHasher.Sha256Hex(paths);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AggregateException)
        {
            var inner = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
            return (m, $"an output of {dir} could not be read for verification: {inner.Message}");
        }
        for (var i = 0; i < hashes.Length; i++)
            if (hashes[i] != m.Outputs[i].Sha256)
                return (m, $"output '{m.Outputs[i].Path}' ({paths[i]}) has SHA-256 {hashes[i]} but {manifestPath} records {m.Outputs[i].Sha256}");
        return (m, null);
    }

    /// <summary>
    /// Every artifact and work directory, for a status display. Committed artifacts are checked for manifest,
    /// key and output sizes; with <paramref name="verifyHashes"/> also for output hashes (reads everything).
    /// </summary>
    public IReadOnlyList<CacheEntry> List(bool verifyHashes = false)
    {
        var entries = new List<CacheEntry>();
        foreach (var kindDir in KindDirectories())
        {
            var kind = kindDir.Name;
            foreach (var dir in ShortKeyDirectories(kindDir.FullName))
            {
                var (m, problem) = CheckDirectory(dir.FullName, null, verifyHashes);
                if (problem is null && m is not null && !m.Key.StartsWith(dir.Name, StringComparison.Ordinal))
                    problem = $"{dir.FullName} holds the manifest of key {m.Key}";
                if (problem is null && m is not null && m.Kind != kind)
                    problem = $"{dir.FullName} holds an artifact of kind '{m.Kind}'";
                entries.Add(new CacheEntry(kind, dir.Name, m?.StageName, DirectorySize(dir.FullName),
                    m?.CreatedUtc, problem is null, problem, IsWorkDirectory: false, dir.FullName));
            }
            foreach (var dir in ShortKeyDirectories(Path.Combine(kindDir.FullName, WorkDirectoryName)))
            {
                string state;
                try
                {
                    using var probe = CacheLock.TryAcquire(LockFilePath(kind, dir.Name));
                    state = probe is null ? "uncommitted work directory, being written now" : "uncommitted work directory, resumable";
                }
                catch (CacheLockException e)
                {
                    // Status only reads: a cache that cannot be locked (read-only) is still listed.
                    state = $"uncommitted work directory, lock state unknown ({e.InnerException?.Message})";
                }
                entries.Add(new CacheEntry(kind, dir.Name, null, DirectorySize(dir.FullName), null,
                    ManifestValid: false, state, IsWorkDirectory: true, dir.FullName));
            }
        }
        entries.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Kind, b.Kind);
            if (c != 0) return c;
            c = a.IsWorkDirectory.CompareTo(b.IsWorkDirectory);
            return c != 0 ? c : string.CompareOrdinal(a.ShortKey, b.ShortKey);
        });
        return entries;
    }

    /// <summary>Total bytes of all files under the root (artifacts, work directories, trash, lock files).</summary>
    public long SizeOnDisk => Directory.Exists(Root) ? DirectorySize(Root) : 0;

    /// <summary>
    /// Removes uncommitted work directories and leftover trash, and unless <paramref name="workDirsOnly"/> also every
    /// committed artifact. Directories whose key is locked by a running session are skipped. Lock files are kept.
    /// </summary>
    public CleanReport Clean(bool workDirsOnly)
    {
        var removed = new List<string>();
        var skipped = new List<CleanSkip>();
        long bytes = 0;
        foreach (var kindDir in KindDirectories())
        {
            var kind = kindDir.Name;
            var trash = Path.Combine(kindDir.FullName, TrashDirectoryName);
            if (Directory.Exists(trash))
            {
                foreach (var t in new DirectoryInfo(trash).EnumerateDirectories())
                {
                    bytes += DirectorySize(t.FullName);
                    DeleteQuietly(t.FullName);
                }
            }

            var targets = ShortKeyDirectories(Path.Combine(kindDir.FullName, WorkDirectoryName)).ToList();
            if (!workDirsOnly) targets.AddRange(ShortKeyDirectories(kindDir.FullName));
            foreach (var dir in targets)
            {
                CacheLock? held;
                try
                {
                    held = CacheLock.TryAcquire(LockFilePath(kind, dir.Name));
                }
                catch (CacheLockException e)
                {
                    // A read-only cache (or one without lock support): nothing can be removed safely.
                    skipped.Add(new CleanSkip(dir.FullName, $"its lock cannot be taken: {e.Message}", Locked: false));
                    continue;
                }
                using (held)
                {
                    if (held is null)
                    {
                        skipped.Add(new CleanSkip(dir.FullName, "locked by a running session (a run is writing it now)", Locked: true));
                        continue;
                    }
                    long size = DirectorySize(dir.FullName);
                    try
                    {
                        RemoveDirectory(dir.FullName, kind);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        skipped.Add(new CleanSkip(dir.FullName, $"could not be removed: {e.Message}", Locked: false));
                        continue;
                    }
                    bytes += size;
                    removed.Add(dir.FullName);
                }
            }
        }
        return new CleanReport(removed, bytes, skipped);
    }

    /// <summary>Removes a directory by renaming it into the kind's trash first, so it never appears half deleted.</summary>
    internal void RemoveDirectory(string directory, string kind)
    {
        if (!Directory.Exists(directory)) return;
        DeleteQuietly(MoveToTrash(directory, kind, Path.GetFileName(directory)));
    }

    private string MoveToTrash(string directory, string kind, string label)
    {
        var trash = Path.Combine(Root, kind, TrashDirectoryName);
        Directory.CreateDirectory(trash);
        var target = Path.Combine(trash, $"{label}.{Guid.NewGuid():N}");
        Directory.Move(directory, target);
        return target;
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Trash is invisible to lookups; whatever could not be deleted now is swept by the next Clean.
        }
    }

    private IEnumerable<DirectoryInfo> KindDirectories()
    {
        if (!Directory.Exists(Root)) return [];
        return new DirectoryInfo(Root).EnumerateDirectories()
            .Where(d => IsKindName(d.Name))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsKindName(string name)
    {
        try
        {
            CacheKey.ValidateKind(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static IEnumerable<DirectoryInfo> ShortKeyDirectories(string parent)
    {
        if (!Directory.Exists(parent)) return [];
        return new DirectoryInfo(parent).EnumerateDirectories().Where(d => CacheKey.IsShortKey(d.Name)).ToList();
    }

    private static long DirectorySize(string directory)
    {
        long total = 0;
        try
        {
            foreach (var f in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                try
                {
                    total += f.Length;
                }
                catch (FileNotFoundException)
                {
                    // Removed while listing (a concurrent clean or commit).
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Renamed or removed while listing.
        }
        return total;
    }
}
