namespace Boltzmann.Data.Cache;

/// <summary>
/// How long the scheduler has said a lock's recorded holder is dead, for one lock wait. Only a holder on another host
/// with a recorded job id is asked about (a holder on this host is checked by pid); the scheduler is asked at most once
/// per <see cref="LockWait.JobQueryInterval"/> (a waiter polls the lock every 250 ms, the scheduler must not be), and a
/// new holder, or any answer but <see cref="JobLiveness.Dead"/>, starts the count again.
/// </summary>
internal sealed class DeadHolderWatch(LockWait policy)
{
    private LockHolder? _watched;
    private TimeSpan? _askedAt;
    private TimeSpan? _deadSince;

    /// <summary>How long <paramref name="holder"/>'s job has been reported dead at <paramref name="now"/> (wait clock), or null.</summary>
    public TimeSpan? DeadFor(LockHolder? holder, TimeSpan now)
    {
        if (policy.Jobs is not { } jobs || holder is not { JobId: { } jobId } || holder.IsOnThisHost)
        {
            (_watched, _askedAt, _deadSince) = (null, null, null);
            return null;
        }
        if (holder != _watched) (_watched, _askedAt, _deadSince) = (holder, null, null);
        if (_askedAt is not { } asked || now - asked >= policy.JobQueryInterval)
        {
            _askedAt = now;
            if (Ask(jobs, jobId) == JobLiveness.Dead)
            {
                if (_deadSince is null)
                {
                    _deadSince = now;
                    policy.OnWaiting?.Invoke($"the lock's holder ({holder}) has ended according to the scheduler, but the lock is still held " +
                                             $"(a dead node's lock awaiting release by the file server?); waiting {policy.DeadHolderGrace.TotalSeconds:0} s for its release");
                }
            }
            else _deadSince = null;
        }
        return now - _deadSince;
    }

    /// <summary>A probe that throws breaks its contract; it must not end the wait, so it counts as "could not ask".</summary>
    private static JobLiveness Ask(IJobLivenessProbe jobs, string jobId)
    {
        try { return jobs.Probe(jobId); }
        catch (Exception) { return JobLiveness.Unknown; }
    }
}
