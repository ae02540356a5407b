using Boltzmann.Data.Cache;

namespace Boltzmann.Cli.Slurm;

/// <summary>The SLURM side of <c>boltz status</c> and <c>boltz cancel</c>: the recorded jobs of a pipeline and their states.</summary>
public static class SlurmStatus
{
    /// <summary>Prints the state of every job of the newest recorded submission of <paramref name="pipeline"/>.</summary>
    public static void Print(ISlurmClient? slurm, string cacheRoot, string pipeline, string profile, TextWriter stdout)
    {
        var record = SubmissionRecord.All(cacheRoot, pipeline).FirstOrDefault(r => r.Profile == profile);
        if (record is null) return;
        stdout.WriteLine($"  SLURM jobs of the submission of {record.Submitted.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({Path.Combine(record.RunFolder, SubmissionRecord.FileName)}):");
        if (slurm is null)
        {
            stdout.WriteLine("    squeue is not on PATH: job states unavailable");
            return;
        }
        IReadOnlyList<SlurmTaskState> states;
        try { states = slurm.Query(record.Jobs.Select(j => j.JobId).ToList()); }
        catch (SlurmException e)
        {
            stdout.WriteLine($"    job states unavailable: {e.Message}");
            return;
        }
        foreach (var job in record.Jobs)
        {
            var tasks = states.Where(s => s.JobId == job.JobId).ToList();
            string role = job.Role == "stage" ? "" : $" ({job.Role}{(job.Array is { } a ? $" [{a}]" : "")})";
            stdout.WriteLine($"    {job.Stage + role,-32} job {job.JobId,-8} {Summary(tasks)}  log {job.Log}");
        }
    }

    /// <summary>One job's state in words; array tasks are counted per state.</summary>
    public static string Summary(IReadOnlyList<SlurmTaskState> tasks)
    {
        if (tasks.Count == 0 || tasks.All(t => t.State == SlurmJobState.Unknown))
            return "no longer known to SLURM (ended over MinJobAge ago; sacct needs slurmdbd, not available) -- the stage's cache state above is what counts";
        static string One(SlurmTaskState t) =>
            t.NeverRuns ? "PENDING (DependencyNeverSatisfied: an upstream job failed; 'boltz cancel' removes it)"
            : t.Reason.Length > 0 && t.State == SlurmJobState.Pending ? $"PENDING ({t.Reason})" : t.State;
        if (tasks.Count == 1) return One(tasks[0]);
        return string.Join(", ", tasks.GroupBy(One).Select(g => $"{g.Count()} {g.Key}"));
    }

    /// <summary>Cancels every recorded job of <paramref name="pipeline"/> (any submission) that is still pending or running.</summary>
    public static int Cancel(ISlurmClient slurm, string cacheRoot, string pipeline, TextWriter stdout)
    {
        var jobs = SubmissionRecord.All(cacheRoot, pipeline).SelectMany(r => r.Jobs).ToList();
        if (jobs.Count == 0)
        {
            stdout.WriteLine($"{pipeline}: no recorded SLURM jobs under {Path.Combine(cacheRoot, SubmissionRecord.RunsFolder, pipeline)}");
            return 0;
        }
        var active = slurm.Query(jobs.Select(j => j.JobId).Distinct().ToList()).Where(t => t.IsActive).Select(t => t.JobId).Distinct().ToList();
        if (active.Count == 0)
        {
            stdout.WriteLine($"{pipeline}: none of the {jobs.Count} recorded job(s) is pending or running");
            return 0;
        }
        slurm.Cancel(active);
        foreach (var id in active)
        {
            var j = jobs.First(x => x.JobId == id);
            stdout.WriteLine($"{pipeline}: cancelled job {id} ({j.Stage}{(j.Role == "stage" ? "" : " " + j.Role)})");
        }
        stdout.WriteLine("completed stages stay cached; an interrupted stage leaves only its work directory and resumes on the next run");
        return 0;
    }
}
