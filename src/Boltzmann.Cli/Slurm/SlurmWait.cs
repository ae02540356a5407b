namespace Boltzmann.Cli.Slurm;

/// <summary>
/// Follows a submission until none of its jobs is pending or running (<c>--wait</c>): reports each job that ends
/// without success with its log file, and cancels the dependants SLURM left pending for ever
/// (Reason=DependencyNeverSatisfied: an afterok upstream failed).
/// </summary>
public static class SlurmWait
{
    /// <summary>A job that ended without success, or that never ran because an upstream job failed.</summary>
    public sealed record Outcome(SubmittedJob Job, string? TaskId, string State, bool UpstreamFailed)
    {
        public string Log => Job.LogOf(TaskId);
    }

    public static async Task<IReadOnlyList<Outcome>> UntilDoneAsync(ISlurmClient slurm, SubmissionRecord record, TimeSpan poll, TextWriter stdout, CancellationToken ct)
    {
        var byId = record.Jobs.ToDictionary(j => j.JobId, StringComparer.Ordinal);
        var reported = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        var neverRun = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var states = slurm.Query(byId.Keys);
            foreach (var t in states.Where(t => t.NeverRuns && neverRun.Add(t.Id)))
            {
                var job = byId[t.JobId];
                stdout.WriteLine($"  job {t.Id} ({job.Stage}) can never start (an upstream job failed); cancelling it");
                reported[t.Id] = new Outcome(job, t.TaskId, t.State, UpstreamFailed: true);
            }
            var cancel = states.Where(t => t.NeverRuns).Select(t => t.JobId).Distinct().ToList();
            if (cancel.Count > 0) slurm.Cancel(cancel);
            foreach (var t in states.Where(t => t.IsFailed && !reported.ContainsKey(t.Id) && !neverRun.Contains(t.Id)))
            {
                var job = byId[t.JobId];
                var outcome = new Outcome(job, t.TaskId, t.State, UpstreamFailed: false);
                reported[t.Id] = outcome;
                stdout.WriteLine($"  job {t.Id} ({job.Stage}, key {job.Key}) FAILED: {t.State}{(t.ExitCode is { } e ? $" (exit {e})" : "")}; log: {outcome.Log}");
            }
            if (!states.Any(t => t.IsActive) && cancel.Count == 0) return [.. reported.Values];
            await Task.Delay(poll, ct);
        }
    }
}
