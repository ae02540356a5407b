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
    /// <summary>Waits at most <paramref name="timeout"/>, whoever holds the lock (the historical behaviour).</summary>
    public static LockWait Fixed(TimeSpan timeout) => new(timeout, System.Threading.Timeout.InfiniteTimeSpan);

    /// <summary>Waits while the holder is alive; gives up after <paramref name="orphanTimeout"/> of an unaccounted lock.</summary>
    public static LockWait WhileHolderAlive(TimeSpan orphanTimeout, Action<string>? onWaiting = null)
        => new(System.Threading.Timeout.InfiniteTimeSpan, orphanTimeout, onWaiting);
}
