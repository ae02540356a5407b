using Boltzmann.Data.Cache;

namespace Boltzmann.Cli.Slurm;

/// <summary>
/// Submits a <see cref="SlurmPlan"/>: writes each job script into the run folder, runs sbatch in dependency order
/// (each job after the ids of its upstream jobs) and records every id in <c>jobs.json</c>. If an sbatch fails, the jobs
/// already submitted are cancelled (they would compute part of a pipeline nobody waits for) and the error is raised.
/// </summary>
public static class SlurmSubmitter
{
    public static SubmissionRecord Submit(SlurmPlan plan, ISlurmClient slurm, RepoLayout layout, TextWriter stdout)
    {
        Directory.CreateDirectory(plan.RunFolder);
        var ids = new string[plan.Jobs.Count];
        var submitted = new List<SubmittedJob>();
        var record = new SubmissionRecord(plan.Pipeline.Name, plan.Pipeline.Profile, DateTimeOffset.UtcNow, plan.RunFolder, submitted);
        foreach (var job in plan.Jobs)
        {
            File.WriteAllText(job.ScriptPath, plan.Script(job, layout.Root, layout.Cache, layout.Artifacts));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(job.ScriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            try
            {
                ids[job.Index] = slurm.Submit(plan.SbatchArguments(job, [.. job.After.Select(a => ids[a])]));
            }
            catch (SlurmException e)
            {
                var done = submitted.Select(s => s.JobId).ToList();
                try { slurm.Cancel(done); } catch (SlurmException) { }
                throw new SlurmException($"submitting {job.JobName} failed: {e.Message}" +
                    (done.Count > 0 ? $"; cancelled the {done.Count} job(s) already submitted ({string.Join(", ", done)})" : ""));
            }
            submitted.Add(new SubmittedJob(job.Stage.Name, job.Key.Short, job.Role.ToString().ToLowerInvariant(), ids[job.Index], job.LogPath,
                job.ArrayIndices is { } a ? string.Join(',', a) : null));
            record.Save();
            stdout.WriteLine($"  submitted {job.JobName} as job {ids[job.Index]}" +
                             (job.After.Count > 0 ? $" (after {string.Join(", ", job.After.Select(a => ids[a]))})" : "") + $"; log {job.LogPath}");
        }
        record.Save();
        return record;
    }

    /// <summary>The selected stages' keys that are not committed in the cache (what a second submission would run).</summary>
    public static IReadOnlyList<PlannedStage> Missing(SlurmPlan plan, ArtifactCache cache) =>
        [.. plan.Stages.Where(s => cache.Lookup(s.Key).Status != CacheLookupStatus.Hit)];
}
