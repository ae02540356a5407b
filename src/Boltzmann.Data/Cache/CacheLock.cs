using System.Diagnostics;

namespace Boltzmann.Data.Cache;

/// <summary>
/// An exclusive inter-process lock on one cache key: a lock file held open with <see cref="FileShare.None"/>.
/// On Unix .NET implements that with <c>flock(LOCK_EX)</c>, on Windows with a share-mode lock; either way the
/// operating system drops it when the holder exits or is killed, so a crashed run never leaves a stale lock.
/// The lock file itself is never deleted (deleting it would let two processes lock two different inodes).
/// </summary>
internal sealed class CacheLock : IDisposable
{
    private FileStream? _stream;

    private CacheLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock without waiting; null when another holder has it.</summary>
    public static CacheLock? TryAcquire(string path) => TryAcquire(path, out _);

    /// <summary>Takes the lock, polling until <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/> waits for ever).</summary>
    /// <exception cref="TimeoutException">Another process or session held the lock for the whole timeout.</exception>
    /// <exception cref="CacheLockException">The lock file cannot be created or locked at all (not contention).</exception>
    public static CacheLock Acquire(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
        => AcquireAsync(path, LockWait.Fixed(timeout), cancellationToken, synchronous: true).GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="Acquire"/>.</summary>
    public static Task<CacheLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
        => AcquireAsync(path, LockWait.Fixed(timeout), cancellationToken, synchronous: false);

    /// <summary>Takes the lock, waiting as <paramref name="wait"/> says; cancellation ends the wait at once.</summary>
    public static Task<CacheLock> AcquireAsync(string path, LockWait wait, CancellationToken cancellationToken = default)
        => AcquireAsync(path, wait, cancellationToken, synchronous: false);

    private static async Task<CacheLock> AcquireAsync(string path, LockWait policy, CancellationToken ct, bool synchronous)
    {
        var timeout = policy.Timeout;
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(policy), timeout, "Lock timeout must be >= 0 or Timeout.InfiniteTimeSpan.");
        var clock = Stopwatch.StartNew();
        var orphanSince = (TimeSpan?)null;
        var deadJob = new DeadHolderWatch(policy);
        string? reported = null;
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var held = TryAcquire(path, out var why);
            if (held is not null)
            {
                // Only writers record themselves: a status or clean probe must not overwrite a writer's record.
                LockHolder.Current().TryWrite(path);
                return held;
            }

            var holder = LockHolder.TryRead(path);
            var who = holder?.ToString() ?? "holder unknown";
            if (who != reported)
            {
                reported = who;
                policy.OnWaiting?.Invoke($"waiting for '{path}': another run is writing this artifact ({who})");
            }
            if (timeout != Timeout.InfiniteTimeSpan && clock.Elapsed >= timeout)
                throw new TimeoutException(
                    $"Could not lock '{path}' within {timeout.TotalSeconds:0.###} s: another run is writing this artifact ({who}; {why}).");
            // A live holder is waited for however long it takes; only a lock that no live holder accounts for
            // counts towards the orphan timeout.
            if (holder is not null && holder.IsAlive())
            {
                orphanSince = null;
                if (deadJob.DeadFor(holder, clock.Elapsed) is { } dead && dead >= policy.DeadHolderGrace)
                    throw DeadHolder(path, holder, dead);
            }
            else
            {
                orphanSince ??= clock.Elapsed;
                if (policy.OrphanTimeout != Timeout.InfiniteTimeSpan && clock.Elapsed - orphanSince >= policy.OrphanTimeout)
                    throw new TimeoutException(
                        $"Could not lock '{path}': it stayed locked for {policy.OrphanTimeout.TotalSeconds:0.###} s with no live holder on record ({who}; {why}).");
            }

            var wait = delay;
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                var left = timeout - clock.Elapsed;
                if (left < wait) wait = left < TimeSpan.Zero ? TimeSpan.Zero : left;
            }
            if (synchronous) ct.WaitHandle.WaitOne(wait);
            else await Task.Delay(wait, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>
    /// A lock still held <paramref name="dead"/> after the scheduler reported its holder's job ended: the holder's node
    /// (or the file server's view of it) keeps a lock no process uses. flock cannot be broken from here, and guessing
    /// wrong would let two writers share a key, so the user is told what to check and clear.
    /// </summary>
    private static CacheLockException DeadHolder(string path, LockHolder holder, TimeSpan dead) => new(path, holder,
        $"Cannot lock '{path}': it is still held, but its recorded holder ({holder}) has ended according to the scheduler " +
        $"{dead.TotalSeconds:0} s ago; a lock of a job that is gone is stale (its node died, or its NFS lock was never released). " +
        $"Check that job {holder.JobId} is really gone (squeue -j {holder.JobId}), that no boltz process remains on {holder.Host} " +
        "and that no other job is running this stage; " +
        $"then delete '{path}' (the next run creates a new lock file and resumes the key's work directory) and run again.");

    private static CacheLock? TryAcquire(string path, out string why)
    {
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is "1" or "true" ||
            (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled))
            throw new InvalidOperationException(
                "File locking is disabled (DOTNET_SYSTEM_IO_DISABLEFILELOCKING / System.IO.DisableFileLocking): the artifact cache cannot serialise writers.");
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            why = "";
            return new CacheLock(path, stream);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            why = e.Message;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Read-only cache, lock path blocked by a file, no lock support...: waiting cannot fix any of these.
            throw new CacheLockException(path, e);
        }
    }

    /// <summary>
    /// Whether the open failed only because another handle holds the lock. .NET reports that as an IOException whose
    /// HResult is the OS code: EWOULDBLOCK from <c>flock</c> on Unix (11 on Linux, 35 on macOS/BSD), a sharing or
    /// lock violation (32, 33) on Windows. Every other IOException is a real failure.
    /// </summary>
    private static bool IsHeldElsewhere(IOException e)
    {
        if (e.GetType() != typeof(IOException)) return false;
        if (OperatingSystem.IsWindows()) return (e.HResult & 0xFFFF) is 32 or 33;
        if (OperatingSystem.IsLinux()) return e.HResult == 11;
        return e.HResult == 35;
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _stream, null)?.Dispose();
    }
}
