using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli.Slurm;

/// <summary>
/// <c>boltz run --executor slurm</c>: plans each pipeline's jobs against the cache, prints the plan (and only that with
/// <c>--dry-run</c>), submits, and with <c>--wait</c> follows the jobs to the end and checks the cache: exit 0 only when
/// every selected stage is committed.
/// </summary>
public sealed class SlurmExecutor(ISlurmClient slurm, RepoLayout layout, TextWriter stdout)
{
    /// <summary>How often <c>--wait</c> asks squeue.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(2);

    public static SlurmPlan Plan(ResolvedPipeline pipeline, RunOptions options, ArtifactCache cache, SlurmSettings settings, string runFolder)
    {
        var keys = PipelinePlan.Keys(pipeline);
        IEnumerable<string> targets = options.Stages is { Count: > 0 }
            ? options.Stages
            : pipeline.Stages.Where(s => options.UpTo is null || s.Kind.Phase <= options.UpTo).Select(s => s.Name);
        var selected = pipeline.Closure(targets);
        // --force recomputes the selected stages, not their upstream (as the local runner does).
        var forced = options.Force
            ? new HashSet<string>(options.Stages ?? selected.Where(s => options.UpTo is null || s.Kind.Phase <= options.UpTo).Select(s => s.Name), StringComparer.Ordinal)
            : null;
        return SlurmPlan.Build(pipeline, selected, keys, k => cache.Lookup(k).Status == CacheLookupStatus.Hit, ShardUnits(pipeline), runFolder, settings, forced);
    }

    /// <summary>The units of a sharded stage with their keys; plain stages have none.</summary>
    public static Func<ResolvedStage, IReadOnlyList<ShardPlanUnit>?> ShardUnits(ResolvedPipeline pipeline)
    {
        var keys = PipelinePlan.Keys(pipeline);
        return stage => stage.Kind is IShardedStageKind
            ? [.. PipelinePlan.ShardKeys(pipeline, stage, keys[stage.Name]).Select(u => new ShardPlanUnit(u.Unit.Index, u.Unit.Label, u.Key))]
            : null;
    }

    public async Task<int> RunAsync(IReadOnlyList<ResolvedPipeline> pipelines, RunOptions options, SlurmSettings settings, bool dryRun, bool wait, CancellationToken ct)
    {
        var cache = new ArtifactCache(layout.Cache);
        var now = DateTimeOffset.UtcNow;
        var plans = pipelines.Select(p => Plan(p, options, cache, settings, SubmissionRecord.NewRunFolder(layout.Cache, p.Name, now))).ToList();
        if (dryRun)
        {
            foreach (var plan in plans) stdout.Write(plan.Describe());
            stdout.WriteLine("dry run: nothing was submitted");
            return 0;
        }
        var records = new List<(SlurmPlan Plan, SubmissionRecord Record)>();
        foreach (var plan in plans)
        {
            int cached = plan.Stages.Count(s => s.Cached);
            stdout.WriteLine($"{plan.Pipeline.Name} ({plan.Pipeline.Profile}): {cached} of {plan.Stages.Count} stage(s) cached; submitting {plan.Jobs.Count} job(s)");
            if (plan.Jobs.Count == 0) continue;
            records.Add((plan, SlurmSubmitter.Submit(plan, slurm, layout, stdout)));
            stdout.WriteLine($"  jobs recorded in {Path.Combine(plan.RunFolder, SubmissionRecord.FileName)}; follow with 'boltz status {plan.Pipeline.Name} --profile {plan.Pipeline.Profile}'");
        }
        if (!wait) return 0;

        int code = 0;
        foreach (var (plan, record) in records)
        {
            var failed = await SlurmWait.UntilDoneAsync(slurm, record, Poll, stdout, ct);
            var missing = SlurmSubmitter.Missing(plan, cache);
            if (failed.Count == 0 && missing.Count == 0)
            {
                stdout.WriteLine($"{plan.Pipeline.Name} ({plan.Pipeline.Profile}): all {plan.Jobs.Count} job(s) completed; every selected stage is cached");
                continue;
            }
            code = 1;
            stdout.WriteLine($"{plan.Pipeline.Name} ({plan.Pipeline.Profile}): {failed.Count(f => !f.UpstreamFailed)} job(s) failed, " +
                             $"{failed.Count(f => f.UpstreamFailed)} never ran; missing stage(s): {string.Join(", ", missing.Select(m => m.Stage.Name))}");
            foreach (var f in failed.Where(f => !f.UpstreamFailed))
                stdout.WriteLine($"  failed: {f.Job.Stage} (job {f.Job.JobId}{(f.TaskId is null ? "" : "_" + f.TaskId)}, {f.State}); log: {f.Log}");
            stdout.WriteLine("  a second submission runs only what is missing");
        }
        // Each job rebuilt artifacts/index.html when it ended, but figure jobs running side by side each saw only what was
        // published by then; once all are done the index is rebuilt from everything published.
        if (ArtifactsIndex.Update(layout.Artifacts) is { } index) stdout.WriteLine($"figures: {index}");
        return code;
    }
}
