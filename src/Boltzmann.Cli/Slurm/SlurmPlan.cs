using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli.Slurm;

/// <summary>What a job does: one whole stage, the missing units of a sharded stage (a job array), or its gather step.</summary>
public enum JobRole { Stage, Shards, Gather }

/// <summary>One unit of a sharded stage and its own cache key.</summary>
public sealed record ShardPlanUnit(int Index, string Label, CacheKey Key);

/// <summary>One sbatch submission of the plan. <paramref name="After"/> holds indices of earlier jobs of the plan (afterok).</summary>
public sealed record PlannedJob(
    int Index,
    ResolvedStage Stage,
    CacheKey Key,
    JobRole Role,
    IReadOnlyList<int>? ArrayIndices,
    IReadOnlyList<int> After,
    StageResources Resources,
    string JobName,
    string LogPath,
    string ScriptPath,
    IReadOnlyList<string> Command)
{
    /// <summary>A shell variable name for the job's id in the printed sbatch commands.</summary>
    public string Variable => "job_" + Stage.Name.Replace('-', '_') + Role switch { JobRole.Shards => "_shards", JobRole.Gather => "_gather", _ => "" };
}

/// <summary>A selected stage: cached (skipped) or run by the listed jobs.</summary>
public sealed record PlannedStage(ResolvedStage Stage, CacheKey Key, bool Cached, IReadOnlyList<int> Jobs, int CachedUnits = 0, int Units = 0);

/// <summary>
/// The SLURM jobs of one pipeline submission, in dependency order: every selected stage whose key is not cached becomes a
/// job running <c>boltz run P --stage S</c> against the same cache, after (afterok) the jobs of its upstream stages that
/// run too; cached stages are skipped. A sharded stage with missing units becomes a job array over those units, then a
/// gather job. Built without touching SLURM or the file system, so <c>--dry-run</c> and the tests see exactly what would
/// be submitted.
/// </summary>
public sealed record SlurmPlan(ResolvedPipeline Pipeline, string RunFolder, SlurmSettings Settings, IReadOnlyList<PlannedStage> Stages, IReadOnlyList<PlannedJob> Jobs)
{
    /// <param name="selected">The stages to run with their upstream closure, in dependency order.</param>
    /// <param name="isCached">Whether a key is committed in the cache (a verified hit).</param>
    /// <param name="shardsOf">The units of a sharded stage (null for a plain stage).</param>
    public static SlurmPlan Build(ResolvedPipeline pipeline, IReadOnlyList<ResolvedStage> selected, IReadOnlyDictionary<string, CacheKey> keys,
                                  Func<CacheKey, bool> isCached, Func<ResolvedStage, IReadOnlyList<ShardPlanUnit>?> shardsOf,
                                  string runFolder, SlurmSettings settings, ISet<string>? forced = null)
    {
        var jobs = new List<PlannedJob>();
        var stages = new List<PlannedStage>();
        var last = new Dictionary<string, int>(StringComparer.Ordinal); // stage -> its final job (stage or gather)
        foreach (var stage in selected)
        {
            var key = keys[stage.Name];
            bool force = forced?.Contains(stage.Name) == true;
            if (!force && isCached(key))
            {
                stages.Add(new PlannedStage(stage, key, Cached: true, []));
                continue;
            }
            var after = stage.Upstream.Values.Distinct(StringComparer.Ordinal).Where(last.ContainsKey).Select(u => last[u]).Order().ToList();
            var resources = StageResourceDefaults.Resolve(stage, settings);
            var baseCommand = new List<string>(settings.Launcher) { "run", pipeline.File, "--stage", stage.Name, "--profile", pipeline.Profile, "--device", settings.Device };
            if (force) baseCommand.Add("--force");
            string name = $"{pipeline.Name}.{stage.Name}.{key.Short[..8]}";
            var units = force ? null : shardsOf(stage);
            var missing = units?.Where(u => !isCached(u.Key)).Select(u => u.Index).ToList();
            if (units is not null && missing!.Count > 0)
            {
                var array = new PlannedJob(jobs.Count, stage, key, JobRole.Shards, missing, after, resources, name,
                    Path.Combine(runFolder, $"{stage.Name}.%A_%a.log"), Path.Combine(runFolder, $"{stage.Name}.shards.sh"),
                    [.. baseCommand, "--shard", "$SLURM_ARRAY_TASK_ID"]);
                jobs.Add(array);
                var gather = new PlannedJob(jobs.Count, stage, key, JobRole.Gather, null, [array.Index],
                    resources with { Cpus = 1, Gpus = 0 }, name + ".gather",
                    Path.Combine(runFolder, $"{stage.Name}.gather.log"), Path.Combine(runFolder, $"{stage.Name}.gather.sh"), baseCommand);
                jobs.Add(gather);
                last[stage.Name] = gather.Index;
                stages.Add(new PlannedStage(stage, key, Cached: false, [array.Index, gather.Index], units.Count - missing.Count, units.Count));
                continue;
            }
            // A plain stage, or a sharded one whose units are all cached (only the gather is left to do).
            var job = new PlannedJob(jobs.Count, stage, key, units is null ? JobRole.Stage : JobRole.Gather, null, after, resources, name,
                Path.Combine(runFolder, $"{stage.Name}.log"), Path.Combine(runFolder, $"{stage.Name}.sh"), baseCommand);
            jobs.Add(job);
            last[stage.Name] = job.Index;
            stages.Add(new PlannedStage(stage, key, Cached: false, [job.Index], units?.Count ?? 0, units?.Count ?? 0));
        }
        return new SlurmPlan(pipeline, runFolder, settings, stages, jobs);
    }

    /// <summary>The sbatch arguments of a job (without --parsable), given the SLURM ids of the jobs it waits for.</summary>
    public IReadOnlyList<string> SbatchArguments(PlannedJob job, IReadOnlyList<string> afterIds)
    {
        var r = job.Resources;
        var args = new List<string> { $"--job-name={job.JobName}", $"--output={job.LogPath}" };
        if (job.ArrayIndices is { } a) args.Add($"--array={string.Join(',', a)}");
        if (afterIds.Count > 0) args.Add($"--dependency=afterok:{string.Join(':', afterIds)}");
        if (Settings.Partition is { } p) args.Add($"--partition={p}");
        if (Settings.Account is { } acct) args.Add($"--account={acct}");
        if (r.Cpus is { } c) args.Add($"--cpus-per-task={c}");
        if (r.Memory is { } m) args.Add($"--mem={m}");
        if (r.Time is { } t) args.Add($"--time={t}");
        if (r.Gpus is > 0) args.Add($"--gres=gpu:{r.Gpus}");
        args.Add(job.ScriptPath);
        return args;
    }

    /// <summary>
    /// The job script: runs boltz from the repository root against the same cache and artifacts folder as the
    /// submitting process, with libtorch threads matched to the CPUs the job was given unless set explicitly.
    /// </summary>
    public string Script(PlannedJob job, string repoRoot, string cache, string artifacts)
    {
        var lines = new List<string>
        {
            "#!/bin/bash",
            $"# {Pipeline.Name} ({Pipeline.Profile}): stage {job.Stage.Name} ({job.Stage.Kind.Kind}, key {job.Key.Short}), {job.Role.ToString().ToLowerInvariant()} job",
            "set -eu",
            $"cd {Quote(repoRoot)}",
            $"export BOLTZMANN_ROOT={Quote(repoRoot)} BOLTZMANN_CACHE={Quote(cache)} BOLTZMANN_ARTIFACTS={Quote(artifacts)}",
            "echo \"boltz job ${SLURM_JOB_ID:-?} on $(hostname) at $(date -u +%FT%TZ)\"",
            "exec " + string.Join(' ', job.Command.Select(a => a.StartsWith('$') ? $"\"{a}\"" : Quote(a))),
        };
        return string.Join('\n', lines) + "\n";
    }

    private static string Quote(string s) => s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:+,@".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>
    /// The dry-run text: the dependency graph (cached stages, jobs, what each waits for, resources) and the sbatch
    /// commands as a shell script that would submit them (each job's id captured in a variable for its dependants).
    /// </summary>
    public string Describe()
    {
        var w = new StringWriter { NewLine = "\n" };
        int cached = Stages.Count(s => s.Cached);
        w.WriteLine($"{Pipeline.Name} ({Pipeline.Profile}): {Stages.Count} stage(s), {cached} cached, {Stages.Count - cached} to run as {Jobs.Count} SLURM job(s)" +
                    (Jobs.Any(j => j.ArrayIndices is not null) ? $" ({Jobs.Where(j => j.ArrayIndices is not null).Sum(j => j.ArrayIndices!.Count)} array task(s))" : ""));
        w.WriteLine($"run folder (job scripts, logs, jobs.json): {RunFolder}");
        w.WriteLine();
        w.WriteLine("job graph:");
        foreach (var s in Stages)
        {
            string head = $"  {s.Stage.Name,-24} {s.Stage.Kind.Kind,-22} {s.Key.Short}";
            if (s.Cached) { w.WriteLine($"{head}  cached, skipped"); continue; }
            foreach (var j in s.Jobs.Select(i => Jobs[i]))
            {
                string what = j.Role switch
                {
                    JobRole.Shards => $"job {j.Index + 1}: array of {j.ArrayIndices!.Count} shard(s) [{string.Join(',', j.ArrayIndices)}] of {s.Units} ({s.CachedUnits} cached)",
                    JobRole.Gather when s.Jobs.Count == 1 => $"job {j.Index + 1}: gather ({s.Units} unit(s) cached)",
                    JobRole.Gather => $"job {j.Index + 1}: gather",
                    _ => $"job {j.Index + 1}",
                };
                string after = j.After.Count == 0 ? "no dependencies" : "after " + string.Join(", ", j.After.Select(a => $"job {a + 1} ({Jobs[a].Stage.Name}{(Jobs[a].Role == JobRole.Stage ? "" : " " + Jobs[a].Role.ToString().ToLowerInvariant())})"));
                w.WriteLine($"{head}  {what}; {after}; {Describe(j.Resources)}");
                head = new string(' ', head.Length);
            }
        }
        w.WriteLine();
        w.WriteLine("sbatch commands:");
        foreach (var j in Jobs)
        {
            w.WriteLine($"# job {j.Index + 1} runs: {string.Join(' ', j.Command)}");
            var args = SbatchArguments(j, [.. j.After.Select(a => "$" + Jobs[a].Variable)]);
            w.WriteLine($"{j.Variable}=$(sbatch --parsable {string.Join(' ', args)})");
        }
        return w.ToString();
    }

    public static string Describe(StageResources r) =>
        $"cpus {r.Cpus}, mem {r.Memory}, time {r.Time}" + (r.Gpus is > 0 ? $", gpus {r.Gpus}" : "");
}
