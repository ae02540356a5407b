using System.Diagnostics;
using Boltzmann.Data.Cache;
using static Boltzmann.Data.Tests.Cache.CacheTestSupport;

namespace Boltzmann.Data.Tests.Cache;

/// <summary>
/// A lock whose recorded holder is on another node with a SLURM job id: the waiter asks the scheduler (a fake here).
/// A job reported dead while its lock stays held past the grace fails at once with a <see cref="CacheLockException"/>
/// naming the lock file, host and job; a live job, or a scheduler that cannot be asked, is waited for as before; a dead
/// report alone never takes a lock (the holder releasing it within the grace lets the waiter in). The lock is really
/// held (by a second handle of this process); only the holder record says "another node".
/// </summary>
public sealed class DeadHolderTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ArtifactCache _cache;

    public DeadHolderTests() => _cache = new ArtifactCache(_temp.Path);

    public void Dispose() => _temp.Dispose();

    private sealed class FakeJobs(JobLiveness answer) : IJobLivenessProbe
    {
        private readonly List<string> _asked = [];

        public IReadOnlyList<string> Asked { get { lock (_asked) return [.. _asked]; } }

        public JobLiveness Probe(string jobId)
        {
            lock (_asked) _asked.Add(jobId);
            return answer;
        }
    }

    /// <summary>Takes the key's lock and rewrites its holder record as a run on another node in SLURM job <paramref name="job"/>.</summary>
    private BeginWriteResult HeldByRemoteJob(CacheKey key, string host = "node-17", string? job = "777")
    {
        var holder = _cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        new LockHolder(Environment.ProcessId, host, DateTimeOffset.UnixEpoch, job).TryWrite(_cache.LockFilePath(key));
        return holder;
    }

    private static LockWait Wait(IJobLivenessProbe jobs, TimeSpan grace, TimeSpan? timeout = null) =>
        new LockWait(timeout ?? Timeout.InfiniteTimeSpan, TimeSpan.FromMinutes(30)) { Jobs = jobs, DeadHolderGrace = grace, JobQueryInterval = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task A_lock_still_held_after_its_job_died_fails_naming_the_lock_file_host_and_job()
    {
        var key = Key();
        using var holder = HeldByRemoteJob(key);
        var jobs = new FakeJobs(JobLiveness.Dead);
        var messages = new List<string>();
        var wait = Wait(jobs, TimeSpan.FromMilliseconds(300)) with { OnWaiting = m => { lock (messages) messages.Add(m); } };

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<CacheLockException>(() => _cache.BeginWriteAsync(key, wait).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10)); // the grace, not the 30-minute orphan timeout
        Assert.Contains(_cache.LockFilePath(key), error.Message);
        Assert.Contains("node-17", error.Message);
        Assert.Contains("SLURM job 777", error.Message);
        Assert.Contains($"delete '{_cache.LockFilePath(key)}'", error.Message);
        Assert.Equal(("node-17", "777"), (error.Holder?.Host, error.Holder?.JobId));
        Assert.All(jobs.Asked, id => Assert.Equal("777", id));
        Assert.NotEmpty(jobs.Asked);
        Assert.Contains(messages, m => m.Contains("has ended according to the scheduler", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(JobLiveness.Alive)]
    [InlineData(JobLiveness.Unknown)] // squeue missing or not answering: today's behaviour, the holder counts as alive
    public async Task A_live_job_or_an_unanswered_query_is_waited_for(JobLiveness answer)
    {
        var key = Key();
        using var holder = HeldByRemoteJob(key);
        var jobs = new FakeJobs(answer);

        // Only the wait's fixed bound ends it: neither the dead-holder grace nor the orphan timeout applies.
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => _cache.BeginWriteAsync(key, Wait(jobs, TimeSpan.FromMilliseconds(100), timeout: TimeSpan.FromSeconds(1.5))));
        Assert.Contains("SLURM job 777", error.Message);
        Assert.DoesNotContain("no live holder", error.Message);
        Assert.True(jobs.Asked.Count >= 2, $"asked {jobs.Asked.Count} time(s) in 1.5 s at a 50 ms interval");
    }

    [Fact]
    public async Task A_dead_report_alone_takes_nothing_the_waiter_gets_the_lock_once_it_is_released()
    {
        var key = Key();
        var holder = HeldByRemoteJob(key);
        var waiting = _cache.BeginWriteAsync(key, Wait(new FakeJobs(JobLiveness.Dead), TimeSpan.FromSeconds(20)));
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted, "the waiter took or gave up on a lock that is still held within the grace");
        holder.Dispose(); // the file server releases the dead node's lock
        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(second.Session);
    }

    [Fact]
    public async Task The_scheduler_is_asked_at_most_once_per_query_interval()
    {
        var key = Key();
        using var holder = HeldByRemoteJob(key);
        var jobs = new FakeJobs(JobLiveness.Dead);
        var wait = Wait(jobs, TimeSpan.FromMilliseconds(600)) with { JobQueryInterval = TimeSpan.FromHours(1) };
        await Assert.ThrowsAsync<CacheLockException>(() => _cache.BeginWriteAsync(key, wait).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Single(jobs.Asked); // the waiter polled the lock many times in 600 ms
    }

    [Theory]
    [InlineData(null, "777")]         // this host: checked by pid, not by the scheduler
    [InlineData("node-17", null)]     // another host but no job recorded: cannot be asked about
    public async Task Only_a_remote_holder_with_a_job_id_is_asked_about(string? host, string? job)
    {
        var key = Key();
        using var holder = HeldByRemoteJob(key, host ?? Environment.MachineName, job);
        var jobs = new FakeJobs(JobLiveness.Dead);
        await Assert.ThrowsAsync<TimeoutException>(() => _cache.BeginWriteAsync(key, Wait(jobs, TimeSpan.Zero, timeout: TimeSpan.FromMilliseconds(500))));
        Assert.Empty(jobs.Asked);
    }

    [Fact]
    public void The_holder_record_carries_the_slurm_job_id_when_the_variable_is_set()
    {
        var previous = Environment.GetEnvironmentVariable(LockHolder.JobIdVariable);
        try
        {
            var inJob = Key(beta: 0.25);
            Environment.SetEnvironmentVariable(LockHolder.JobIdVariable, "4242");
            using (_cache.BeginWrite(inJob, TimeSpan.FromSeconds(10)))
            {
                var lockPath = _cache.LockFilePath(inJob);
                Assert.Equal([$"{Environment.ProcessId}", Environment.MachineName], File.ReadAllLines(LockHolder.SidecarPath(lockPath)).Take(2));
                Assert.Equal("4242", File.ReadAllLines(LockHolder.SidecarPath(lockPath))[3]);
                var read = LockHolder.TryRead(lockPath);
                Assert.Equal((Environment.ProcessId, "4242"), (read?.ProcessId, read?.JobId));
                Assert.EndsWith(", SLURM job 4242", read!.ToString());
            }

            var outside = Key(beta: 0.75);
            Environment.SetEnvironmentVariable(LockHolder.JobIdVariable, null);
            using (_cache.BeginWrite(outside, TimeSpan.FromSeconds(10)))
                Assert.Null(LockHolder.TryRead(_cache.LockFilePath(outside))?.JobId);
        }
        finally
        {
            Environment.SetEnvironmentVariable(LockHolder.JobIdVariable, previous);
        }
    }

    [Fact]
    public void A_record_written_before_job_ids_were_recorded_still_reads()
    {
        var lockPath = Path.Combine(_temp.Path, "old.lock");
        File.WriteAllText(LockHolder.SidecarPath(lockPath), "123\nnode-3\n0\n");
        Assert.Equal(new LockHolder(123, "node-3", DateTimeOffset.UnixEpoch), LockHolder.TryRead(lockPath));
    }
}
