namespace Boltzmann.Data.Cache;

/// <summary>What <see cref="ArtifactCache.Clean"/> did: every directory it removed and every one it left, with why.</summary>
/// <param name="Removed">Artifact and work directories removed (trash directories not listed).</param>
/// <param name="BytesFreed">Bytes of all files removed, trash included.</param>
/// <param name="Skipped">Directories left in place, each with the reason (locked by a running session, or an error).</param>
public sealed record CleanReport(IReadOnlyList<string> Removed, long BytesFreed, IReadOnlyList<CleanSkip> Skipped)
{
    /// <summary>Number of directories removed.</summary>
    public int DirectoriesRemoved => Removed.Count;

    /// <summary>Directories left alone because a running session holds their key's lock.</summary>
    public int SkippedLocked => Skipped.Count(s => s.Locked);
}

/// <summary>A directory <see cref="ArtifactCache.Clean"/> did not remove.</summary>
/// <param name="Directory">Its absolute path.</param>
/// <param name="Reason">Why: "locked by a running session" or the operating-system error.</param>
/// <param name="Locked">True when another session holds the key's lock (a run is writing it now).</param>
public sealed record CleanSkip(string Directory, string Reason, bool Locked);
