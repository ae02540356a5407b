namespace Boltzmann.Cli.Slurm;

/// <summary>
/// Every call the project makes to SLURM: submit, query, cancel. The scheduler decides where and when jobs run; the
/// project only submits. Unit tests use a fake, the integration tests the real commands (<see cref="SlurmCommands"/>).
/// </summary>
public interface ISlurmClient
{
    /// <summary>Runs <c>sbatch --parsable</c> with these arguments (the job script last); returns the job id.</summary>
    /// <exception cref="SlurmException">sbatch refused the job or could not be run.</exception>
    string Submit(IReadOnlyList<string> sbatchArguments);

    /// <summary>
    /// The state of every task of the given jobs (one entry per job, one per array task for job arrays). A job SLURM no
    /// longer knows (it ended more than MinJobAge ago; without slurmdbd there is no accounting to ask) comes back as
    /// <see cref="SlurmJobState.Unknown"/>.
    /// </summary>
    IReadOnlyList<SlurmTaskState> Query(IReadOnlyCollection<string> jobIds);

    /// <summary>Runs <c>scancel</c> on the given jobs (a job array's id cancels all its tasks).</summary>
    void Cancel(IReadOnlyCollection<string> jobIds);
}

/// <summary>One job, or one task of a job array (<paramref name="TaskId"/> non-null), as SLURM reports it.</summary>
/// <param name="JobId">The id the job was submitted under (for arrays: the array's id, SLURM's %A).</param>
/// <param name="State">SLURM's state name (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ...) or UNKNOWN.</param>
/// <param name="Reason">Why a pending job waits (Dependency, DependencyNeverSatisfied, Resources, ...), or "".</param>
public sealed record SlurmTaskState(string JobId, string? TaskId, string State, string Reason, string? ExitCode = null)
{
    public bool IsActive => State is SlurmJobState.Pending or SlurmJobState.Running or "CONFIGURING" or "COMPLETING" or "SUSPENDED" or "REQUEUED" or "RESIZING" or "SIGNALING" or "STAGE_OUT";

    public bool IsCompleted => State == SlurmJobState.Completed;

    /// <summary>Ended without success: failed, cancelled, timed out, out of memory, node failure, pre-empted...</summary>
    public bool IsFailed => !IsActive && !IsCompleted && State != SlurmJobState.Unknown;

    /// <summary>A pending job whose afterok dependency failed: it can never start, so the submitter cancels it.</summary>
    public bool NeverRuns => State == SlurmJobState.Pending && Reason == "DependencyNeverSatisfied";

    public string Id => TaskId is null ? JobId : $"{JobId}_{TaskId}";
}

public static class SlurmJobState
{
    public const string Pending = "PENDING";
    public const string Running = "RUNNING";
    public const string Completed = "COMPLETED";
    public const string Cancelled = "CANCELLED";
    public const string Unknown = "UNKNOWN";
}

/// <summary>A SLURM command failed (not found, refused the request, unreadable answer).</summary>
public sealed class SlurmException(string message) : Exception(message);
