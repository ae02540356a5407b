namespace Boltzmann.Data.Cache;

/// <summary>
/// The lock file of a cache key could not be created or locked for a reason other than another run holding it:
/// a read-only cache, a file system without lock support, a lock path blocked by a file, and so on. Waiting would
/// never help, so this is raised at once rather than retried until a lock timeout.
/// </summary>
public sealed class CacheLockException(string path, Exception inner)
    : IOException($"Cannot lock '{path}': {inner.Message} (is the cache read-only, or does its file system lack lock support?)", inner)
{
    /// <summary>The lock file that could not be locked.</summary>
    public string LockPath { get; } = path;
}
