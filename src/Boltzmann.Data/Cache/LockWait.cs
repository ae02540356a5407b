namespace Boltzmann.Data.Cache;

/// <summary>How a writer waits for a cache key's lock held by another run.</summary>
/// <param name="Timeout">Fixed bound on the whole wait; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</param>
/// <param name="OrphanTimeout">
/// Bound on the time the lock stays held while its recorded holder is gone or unknown. A live holder (a long
/// Monte Carlo stage, say) is waited for as long as it runs; only a lock nobody accounts for gives up.
/// </param>
/// <param name="OnWaiting">Told who holds the lock when the wait starts and whenever the holder changes.</param>
public sealed record LockWait(TimeSpan Timeout, TimeSpan OrphanTimeout, Action<string>? OnWaiting = null)
{
    /// <summary>
    /// Twice NFSv4's default lease (90 s): when a holder's node dies, the file server releases its locks once the lease
    /// expires (or NLM lock recovery runs), so a lock still held this long after the scheduler reported its job dead
    /// will not be released by itself.
    /// </summary>
    public static readonly TimeSpan DefaultDeadHolderGrace = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Asked whether a holder on another host that recorded a SLURM job id is alive. Null (the default): such a holder
    /// counts as alive for as long as the lock is held. A holder on this host is checked by pid either way.
    /// </summary>
    public IJobLivenessProbe? Jobs { get; init; }

    /// <summary>
    /// How long the lock may stay held after <see cref="Jobs"/> reported its holder's job dead before the wait fails
    /// with a <see cref="CacheLockException"/> naming the lock file, holder host and job (flock cannot be taken over).
    /// </summary>
    public TimeSpan DeadHolderGrace { get; init; } = DefaultDeadHolderGrace;

    /// <summary>At most one scheduler query per this interval while waiting.</summary>
    public TimeSpan JobQueryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Waits at most <paramref name="timeout"/>, whoever holds the lock (the historical behaviour).</summary>
    public static LockWait Fixed(TimeSpan timeout) => new(timeout, System.Threading.Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Waits while the holder is alive; gives up after <paramref name="orphanTimeout"/> of an unaccounted lock, and (with
    /// <paramref name="jobs"/>) after <see cref="DeadHolderGrace"/> of a lock whose holder's job the scheduler reports dead.
    /// </summary>
    public static LockWait WhileHolderAlive(TimeSpan orphanTimeout, Action<string>? onWaiting = null, IJobLivenessProbe? jobs = null)
        => new(System.Threading.Timeout.InfiniteTimeSpan, orphanTimeout, onWaiting) { Jobs = jobs };
}
