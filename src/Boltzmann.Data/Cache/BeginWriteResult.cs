namespace Boltzmann.Data.Cache;

/// <summary>
/// Result of <see cref="ArtifactCache.BeginWrite"/>: either the key was committed meanwhile (by another process,
/// or by finishing a commit that a killed run had prepared) and <see cref="Existing"/> is the verified artifact,
/// or the caller holds the key's lock and must produce the artifact through <see cref="Session"/>.
/// </summary>
public sealed class BeginWriteResult : IDisposable
{
    internal BeginWriteResult(ArtifactWriteSession? session, Artifact? existing, string? previousProblem, bool rolledForward)
    {
        Session = session;
        Existing = existing;
        PreviousProblem = previousProblem;
        RolledForward = rolledForward;
    }

    /// <summary>The write session (lock held), or null when <see cref="AlreadyCommitted"/>.</summary>
    public ArtifactWriteSession? Session { get; }

    /// <summary>The verified committed artifact when there is nothing to write, else null.</summary>
    public Artifact? Existing { get; }

    /// <summary>True when the artifact is already committed and verified (no lock is held).</summary>
    public bool AlreadyCommitted => Existing is not null;

    /// <summary>Why a committed artifact for this key could not be used (it will be replaced), or null.</summary>
    public string? PreviousProblem { get; }

    /// <summary>True when a killed run's fully prepared commit was completed instead of recomputing.</summary>
    public bool RolledForward { get; }

    /// <summary>Disposes the session, if any (releasing the lock, keeping the work directory).</summary>
    public void Dispose() => Session?.Dispose();
}
