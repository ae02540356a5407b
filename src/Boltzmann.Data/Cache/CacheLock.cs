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
    public static CacheLock Acquire(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
        => AcquireAsync(path, timeout, cancellationToken, synchronous: true).GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="Acquire"/>.</summary>
    public static Task<CacheLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
        => AcquireAsync(path, timeout, cancellationToken, synchronous: false);

    private static async Task<CacheLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken ct, bool synchronous)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Lock timeout must be >= 0 or Timeout.InfiniteTimeSpan.");
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var held = TryAcquire(path, out var why);
            if (held is not null) return held;
            if (timeout != Timeout.InfiniteTimeSpan && clock.Elapsed >= timeout)
                throw new TimeoutException(
                    $"Could not lock '{path}' within {timeout.TotalSeconds:0.###} s: another run is writing this artifact ({why}).");
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

    private static CacheLock? TryAcquire(string path, out string why)
    {
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is "1" or "true" ||
            (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled))
            throw new InvalidOperationException(
                "File locking is disabled (DOTNET_SYSTEM_IO_DISABLEFILELOCKING / System.IO.DisableFileLocking): the artifact cache cannot serialise writers.");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            why = "";
            return new CacheLock(path, stream);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            why = e.Message;
            return null;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _stream, null)?.Dispose();
    }
}
