using System.Diagnostics;
using Boltzmann.Data.Cache;
using static Boltzmann.Data.Tests.Cache.CacheTestSupport;

namespace Boltzmann.Data.Tests.Cache;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ArtifactCache _cache;

    public ConcurrencyTests() => _cache = new ArtifactCache(_temp.Path);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_second_writer_waits_for_the_first_and_then_sees_it_committed()
    {
        var key = Key();
        // The first writer holds the lock until the test has seen the short wait time out (no fixed delay: under
        // load a retry after a long thread-pool stall could otherwise find the lock already released).
        var firstHasLock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var committedAt = 0L;
        var clock = Stopwatch.StartNew();

        var first = Task.Run(async () =>
        {
            using var begin = _cache.BeginWrite(key, TimeSpan.FromSeconds(10));
            firstHasLock.SetResult();
            await releaseFirst.Task;
            await Task.Delay(200);
            WriteOutputs(begin.Session!, key.Seed);
            begin.Session!.Commit(Manifest(key));
            Interlocked.Exchange(ref committedAt, clock.ElapsedTicks);
        });
        await firstHasLock.Task;

        // While the first holds the lock, a short wait times out with a message naming the lock file.
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => _cache.BeginWriteAsync(key, TimeSpan.FromMilliseconds(100)));
        Assert.Contains(_cache.LockFilePath(key), timeout.Message);
        releaseFirst.SetResult();

        using var second = await _cache.BeginWriteAsync(key, TimeSpan.FromSeconds(20));
        var gotItAt = clock.ElapsedTicks;
        await first;
        Assert.True(second.AlreadyCommitted);
        Assert.Null(second.Session);
        Assert.True(gotItAt >= Interlocked.Read(ref committedAt), "the second writer got through before the first committed");
        AssertToyContent(second.Existing!, key.Seed);
    }

    [Fact]
    public async Task Concurrent_get_or_compute_runs_the_stage_once()
    {
        var key = Key();
        var runs = 0;
        var active = 0;
        var maxActive = 0;
        async Task<ArtifactManifest> Stage(ArtifactWriteSession s, CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            var now = Interlocked.Increment(ref active);
            InterlockedMax(ref maxActive, now);
            await Task.Delay(200, ct);
            WriteOutputs(s, key.Seed);
            Interlocked.Decrement(ref active);
            return Manifest(key);
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => _cache.GetOrComputeAsync(key, Stage, new CacheRunOptions(LockTimeout: TimeSpan.FromSeconds(30))))));
        Assert.Equal(1, runs);
        Assert.Equal(1, maxActive);
        Assert.Single(outcomes, o => o.Computed);
        foreach (var o in outcomes) AssertToyContent(o.Artifact, key.Seed);
    }

    [Fact]
    public async Task Forced_concurrent_writers_are_serialised()
    {
        var key = Key();
        var active = 0;
        var maxActive = 0;
        async Task<ArtifactManifest> Stage(ArtifactWriteSession s, CancellationToken ct)
        {
            InterlockedMax(ref maxActive, Interlocked.Increment(ref active));
            Assert.False(s.Resumed);
            await Task.Delay(100, ct);
            WriteOutputs(s, key.Seed);
            Interlocked.Decrement(ref active);
            return Manifest(key);
        }
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            Task.Run(() => _cache.GetOrComputeAsync(key, Stage, new CacheRunOptions(Force: true, LockTimeout: TimeSpan.FromSeconds(30))))));
        Assert.All(outcomes, o => Assert.True(o.Computed));
        Assert.Equal(1, maxActive);
        Assert.True(_cache.Lookup(key).IsHit);
    }

    [Fact]
    public void Different_keys_do_not_block_each_other()
    {
        using var a = _cache.BeginWrite(Key(seed: 1), TimeSpan.Zero);
        using var b = _cache.BeginWrite(Key(seed: 2), TimeSpan.Zero);
        Assert.NotNull(a.Session);
        Assert.NotNull(b.Session);
    }

    [Fact]
    public void The_lock_is_an_os_lock_seen_by_other_processes()
    {
        var key = Key();
        using (var begin = _cache.BeginWrite(key, TimeSpan.FromSeconds(10)))
        {
            Assert.NotNull(begin.Session);
            Assert.Equal(1, RunFlock("-n", _cache.LockFilePath(key), "true"));
            Assert.Equal(1, RunFlock("-n", "--shared", _cache.LockFilePath(key), "true")); // exclusive, not shared
        }
        Assert.Equal(0, RunFlock("-n", _cache.LockFilePath(key), "true"));
    }

    [Fact]
    public void A_lock_held_by_another_process_blocks_until_that_process_is_killed()
    {
        var key = Key();
        var lockFile = _cache.LockFilePath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        using var holder = Process.Start(new ProcessStartInfo("flock", [lockFile, "-c", "echo locked; exec sleep 60"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start flock(1)");
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());
            Assert.Throws<TimeoutException>(() => _cache.BeginWrite(key, TimeSpan.FromMilliseconds(300)));

            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
            // The OS released the dead process's lock: no stale lock, no manual cleanup.
            using var begin = _cache.BeginWrite(key, TimeSpan.FromSeconds(5));
            Assert.NotNull(begin.Session);
        }
        finally
        {
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
        }
    }

    private static int RunFlock(params string[] arguments)
    {
        using var p = Process.Start(new ProcessStartInfo("flock", arguments) { UseShellExecute = false })
                      ?? throw new InvalidOperationException("could not start flock(1)");
        Assert.True(p.WaitForExit(10_000), "flock(1) did not finish");
        return p.ExitCode;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) &&
               Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
