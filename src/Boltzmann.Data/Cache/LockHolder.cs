using System.Diagnostics;
using System.Globalization;

namespace Boltzmann.Data.Cache;

/// <summary>
/// Who holds a cache key's lock, as recorded by the holder in a sidecar next to the lock file. The lock file itself
/// cannot carry it: on Unix .NET takes a shared <c>flock</c> to read a file, which the holder's exclusive lock refuses.
/// <paramref name="JobId"/> is the holder's SLURM job (<see cref="JobIdVariable"/>), when it runs in one: a waiter on
/// another node cannot check the pid, but it can ask the scheduler about the job (<see cref="IJobLivenessProbe"/>).
/// </summary>
public sealed record LockHolder(int ProcessId, string Host, DateTimeOffset Since, string? JobId = null)
{
    /// <summary>The environment variable SLURM sets to the job's id in every job (and array task) it runs.</summary>
    public const string JobIdVariable = "SLURM_JOB_ID";

    /// <summary>The sidecar holding the record of <paramref name="lockPath"/>'s holder.</summary>
    public static string SidecarPath(string lockPath) => lockPath + ".holder";

    /// <summary>This process, now, with its SLURM job id when <see cref="JobIdVariable"/> is set.</summary>
    public static LockHolder Current() =>
        new(Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow,
            Environment.GetEnvironmentVariable(JobIdVariable)?.Trim() is { Length: > 0 } job ? job : null);

    /// <summary>Whether the holder runs on this machine (so its pid can be checked).</summary>
    public bool IsOnThisHost => string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// False only when the holder is known to be gone (same host, no such process); a holder on another host
    /// cannot be checked by pid and counts as alive (its job, if recorded, is asked about separately).
    /// </summary>
    public bool IsAlive()
    {
        if (!IsOnThisHost) return true;
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public override string ToString() =>
        $"pid {ProcessId} on {Host} since {Since.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}" +
        (JobId is null ? "" : $", SLURM job {JobId}");

    /// <summary>Writes the record (best effort: it only informs waiters, the lock itself is what serialises writers).</summary>
    internal void TryWrite(string lockPath)
    {
        var sidecar = SidecarPath(lockPath);
        var tmp = sidecar + $".tmp-{Environment.ProcessId}";
        try
        {
            // pid, host, since (Unix ms), job id (empty line when not in a job; records without the line read as no job).
            File.WriteAllText(tmp, string.Create(CultureInfo.InvariantCulture, $"{ProcessId}\n{Host}\n{Since.ToUnixTimeMilliseconds()}\n{JobId}\n"));
            File.Move(tmp, sidecar, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(tmp); } catch (Exception d) when (d is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>Reads the record; null when there is none or it is unreadable (e.g. a holder from before this record existed).</summary>
    internal static LockHolder? TryRead(string lockPath)
    {
        try
        {
            var lines = File.ReadAllLines(SidecarPath(lockPath));
            if (lines.Length >= 3 &&
                int.TryParse(lines[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) &&
                long.TryParse(lines[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
                return new LockHolder(pid, lines[1], DateTimeOffset.FromUnixTimeMilliseconds(ms),
                    lines.Length >= 4 && lines[3].Trim() is { Length: > 0 } job ? job : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }
}
