namespace Boltzmann.Data.Cache;

/// <summary>
/// The lock file of a cache key could not be locked, and waiting would not help: it cannot be created or locked at all
/// (a read-only cache, a file system without lock support, a lock path blocked by a file, ...), raised at once rather
/// than retried until a lock timeout; or it stays held after the scheduler reported its recorded holder's job dead
/// (<see cref="Holder"/> set), which only the user can clear, since a flock cannot be taken from its holder.
/// </summary>
public sealed class CacheLockException : IOException
{
    public CacheLockException(string path, Exception inner)
        : base($"Cannot lock '{path}': {inner.Message} (is the cache read-only, or does its file system lack lock support?)", inner)
    {
        LockPath = path;
    }

    /// <summary>The lock is held, but by a holder that <paramref name="holder"/> names and the scheduler reports dead.</summary>
    public CacheLockException(string path, LockHolder holder, string message) : base(message)
    {
        LockPath = path;
        Holder = holder;
    }

    /// <summary>The lock file that could not be locked.</summary>
    public string LockPath { get; }

    /// <summary>The recorded holder of a lock still held after its job ended; null for the other failures.</summary>
    public LockHolder? Holder { get; }
}
