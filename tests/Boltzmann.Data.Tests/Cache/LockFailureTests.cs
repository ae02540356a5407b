using System.Diagnostics;
using Boltzmann.Data.Cache;
using static Boltzmann.Data.Tests.Cache.CacheTestSupport;

namespace Boltzmann.Data.Tests.Cache;

/// <summary>
/// A lock file that cannot be locked for a reason other than another run holding it fails at once, and a wait on a
/// held lock says who holds it and lasts as long as that holder lives.
/// </summary>
public sealed class LockFailureTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ArtifactCache _cache;

    public LockFailureTests() => _cache = new ArtifactCache(_temp.Path);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_lock_file_that_cannot_be_opened_fails_at_once_naming_the_path_and_the_os_error()
    {
        // Tests run as root, which ignores permissions, so a read-only cache cannot be simulated with chmod and a
        // read-only mount needs privileges the test host lacks. A lock file that is a symbolic link to itself makes
        // open(2) fail with ELOOP even for root: a non-contention IOException like EROFS on a read-only cache.
        var key = Key();
        var lockPath = _cache.LockFilePath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        File.CreateSymbolicLink(lockPath, lockPath);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<CacheLockException>(() => _cache.BeginWriteAsync(key, TimeSpan.FromSeconds(20)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}: the failure was retried as contention");
        Assert.Contains(lockPath, error.Message);
        Assert.Contains("symbolic links", error.Message);
    }

    [Fact]
    public async Task A_waiter_is_told_which_process_holds_the_lock()
    {
        var key = Key();
        using var holder = _cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        var messages = new List<string>();
        var wait = LockWait.Fixed(TimeSpan.FromMilliseconds(300)) with { OnWaiting = m => { lock (messages) messages.Add(m); } };

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => _cache.BeginWriteAsync(key, wait));
        var told = Assert.Single(messages);
        Assert.Contains($"pid {Environment.ProcessId} on {Environment.MachineName}", told);
        Assert.Contains(_cache.LockFilePath(key), told);
        Assert.Contains($"pid {Environment.ProcessId}", timeout.Message);
    }

    [Fact]
    public async Task A_live_holder_is_waited_for_beyond_the_orphan_timeout()
    {
        var key = Key();
        var holder = _cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        var waiting = _cache.BeginWriteAsync(key, LockWait.WhileHolderAlive(TimeSpan.FromMilliseconds(100)));
        await Task.Delay(1000);
        Assert.False(waiting.IsCompleted, "gave up on a live holder");
        WriteOutputs(holder.Session!, key.Seed);
        holder.Session!.Commit(Manifest(key));
        holder.Dispose();
        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(second.AlreadyCommitted);
    }

    [Fact]
    public async Task A_lock_whose_recorded_holder_is_gone_gives_up_after_the_orphan_timeout()
    {
        var key = Key();
        using var holder = _cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        // A pid far above pid_max on this host: the record names a process that does not exist.
        File.WriteAllText(LockHolder.SidecarPath(_cache.LockFilePath(key)), $"99999999\n{Environment.MachineName}\n0\n");

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => _cache.BeginWriteAsync(key, LockWait.WhileHolderAlive(TimeSpan.FromMilliseconds(300))).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("no live holder", error.Message);
    }

    [Fact]
    public async Task Cancelling_a_lock_wait_ends_it_at_once()
    {
        var key = Key();
        using var holder = _cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _cache.BeginWriteAsync(key, LockWait.WhileHolderAlive(Timeout.InfiniteTimeSpan), cancellationToken: cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }
}
