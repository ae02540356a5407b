namespace Boltzmann.Data.Cache;

/// <summary>What a batch scheduler says about a job that recorded itself as a lock's holder.</summary>
public enum JobLiveness
{
    /// <summary>The scheduler lists the job in a state whose processes may still run (pending, running, completing, suspended, ...).</summary>
    Alive,

    /// <summary>The job has ended (completed, failed, cancelled, timed out, node failure, ...) or the scheduler no longer knows it.</summary>
    Dead,

    /// <summary>The scheduler could not be asked (not installed, not answering): the holder counts as alive.</summary>
    Unknown,
}

/// <summary>
/// Asks a batch scheduler whether a job is still alive, so a run waiting for a cache lock whose holder is on another
/// node (where its pid cannot be checked) can tell a lock held by a running job from one its dead job's node or file
/// server still holds. The cache itself knows no scheduler: the CLI supplies the SLURM implementation (squeue).
/// </summary>
public interface IJobLivenessProbe
{
    /// <summary>The state of job <paramref name="jobId"/>; never throws (a failed query is <see cref="JobLiveness.Unknown"/>).</summary>
    JobLiveness Probe(string jobId);
}
