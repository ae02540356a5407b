using System.CommandLine;
using Boltzmann.Cli.Slurm;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

public static class RunCommand
{
    private static readonly string[] Phases = [.. Enum.GetNames<StagePhase>().Select(n => n.ToLowerInvariant())];

    public static Command Create()
    {
        var pipeline = CliOptions.Pipeline("pipeline name, a pipeline file, or 'all'");
        var stage = new Option<string[]>("--stage") { Description = "run only these stages (repeatable; single pipeline only)", HelpName = "S" };
        var until = new Option<string?>("--until") { Description = "run every stage up to this phase", HelpName = "PHASE" }
            .AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, Phases);
        var profile = CliOptions.Profile();
        var force = new Option<bool>("--force") { Description = "recompute the selected stages even when cached" };
        var device = CliOptions.Device();
        var executor = new Option<string>("--executor")
        {
            Description = "local: run the stages in this process; slurm: submit each missing stage as a SLURM job (sbatch) with afterok dependencies",
            DefaultValueFactory = _ => "local",
        }.AcceptOnlyFromAmong("local", "slurm");
        var partition = new Option<string?>("--partition") { Description = "SLURM partition of every job (slurm executor)", HelpName = "P" };
        var account = new Option<string?>("--account") { Description = "SLURM account of every job (slurm executor)", HelpName = "A" };
        var timeLimit = new Option<string?>("--time-limit") { Description = "time limit of every job, e.g. 02:00:00 (slurm executor; default: per stage)", HelpName = "T" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the sbatch commands and the job graph; submit nothing (slurm executor)" };
        var wait = new Option<bool>("--wait") { Description = "after submitting, wait for every job; report failures with their logs (slurm executor)" };
        var shard = new Option<int?>("--shard")
        {
            Description = "run only unit K (0-based) of the one sharded --stage, caching it without gathering (a cluster array task)",
            HelpName = "K",
        };
        var command = new Command("run", "run stages (cached ones are reused); --force recomputes the selected stages")
        {
            pipeline, stage, until, profile, force, device, shard, executor, partition, account, timeLimit, dryRun, wait,
        };
        command.SetAction((r, ct) =>
        {
            var name = r.GetRequiredValue(pipeline);
            var stages = r.GetValue(stage) ?? [];
            StagePhase? upTo = r.GetValue(until) is { } u ? Enum.Parse<StagePhase>(u, ignoreCase: true) : null;
            var cluster = new ClusterOptions(r.GetValue(partition), r.GetValue(account), r.GetValue(timeLimit), r.GetValue(dryRun), r.GetValue(wait));
            if (r.GetRequiredValue(executor) == "slurm")
            {
                if (r.GetValue(shard) is not null) throw new UsageException("--shard runs one unit here; the slurm executor submits the missing units itself (a job array)");
                return ExecuteSlurmAsync(name, stages, upTo, r.GetRequiredValue(profile), r.GetValue(force), r.GetRequiredValue(device), cluster,
                    new SlurmCommands(), r.InvocationConfiguration.Output, ct);
            }
            if (cluster.Given is { } option) throw new UsageException($"{option} needs --executor slurm");
            return ExecuteAsync(name, stages, upTo, r.GetRequiredValue(profile), r.GetValue(force), r.GetRequiredValue(device), r.InvocationConfiguration.Output, ct,
                r.GetValue(shard));
        });
        return command;
    }

    /// <summary>The options of the slurm executor.</summary>
    public sealed record ClusterOptions(string? Partition = null, string? Account = null, string? TimeLimit = null, bool DryRun = false, bool Wait = false)
    {
        /// <summary>The first slurm-only option given, for the usage error of a local run.</summary>
        public string? Given => Partition is not null ? "--partition" : Account is not null ? "--account" : TimeLimit is not null ? "--time-limit"
            : DryRun ? "--dry-run" : Wait ? "--wait" : null;
    }

    public static Task<int> ExecuteSlurmAsync(string name, IReadOnlyList<string> stages, StagePhase? until, string profile, bool force, string device,
                                              ClusterOptions cluster, ISlurmClient slurm, TextWriter stdout, CancellationToken ct)
    {
        var layout = RepoLayout.Discover();
        if (stages.Count > 0 && name == "all") throw new UsageException("--stage needs a single pipeline, not 'all'");
        if (cluster.TimeLimit is { } t && !StageResources.IsTime(t))
            throw new UsageException($"--time-limit \"{t}\" is not a SLURM time limit; use MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, e.g. 02:00:00");
        if (cluster.DryRun && cluster.Wait) throw new UsageException("--dry-run submits nothing, so there is nothing to --wait for");
        var loader = BoltzCommand.Loader();
        var pipelines = layout.PipelineFiles(name).Select(f => loader.LoadFile(f, profile)).ToList();
        CheckStages(pipelines, stages);
        RunEnvironment.Check(layout);
        if (!cluster.DryRun && slurm is SlurmCommands && !SlurmCommands.Available())
            throw new UsageException("--executor slurm needs sbatch on PATH (is SLURM installed here? --dry-run works without it)");
        var settings = new SlurmSettings(profile, device, SlurmSettings.CurrentLauncher(), cluster.Partition, cluster.Account, cluster.TimeLimit, force);
        var options = new RunOptions(stages.Count > 0 ? stages : null, until, force, device);
        return new SlurmExecutor(slurm, layout, stdout).RunAsync(pipelines, options, settings, cluster.DryRun, cluster.Wait, ct);
    }

    private static void CheckStages(IReadOnlyList<ResolvedPipeline> pipelines, IReadOnlyList<string> stages)
    {
        foreach (var p in pipelines)
            foreach (var s in stages)
                if (p.Stages.All(x => x.Name != s))
                    throw new UsageException($"--stage \"{s}\": pipeline \"{p.Name}\" has no such stage; its stages: {string.Join(", ", p.Stages.Select(x => x.Name))}");
    }

    public static async Task<int> ExecuteAsync(string name, IReadOnlyList<string> stages, StagePhase? until, string profile, bool force,
                                               string device, TextWriter stdout, CancellationToken ct, int? shard = null)
    {
        var layout = RepoLayout.Discover();
        if (stages.Count > 0 && name == "all") throw new UsageException("--stage needs a single pipeline, not 'all'");
        if (shard is not null && name == "all") throw new UsageException("--shard needs a single pipeline, not 'all'");
        if (shard is not null && until is not null) throw new UsageException("--shard runs one unit of one --stage; it cannot be combined with --until");
        // Validate every requested pipeline before running any of them: a bad file writes nothing.
        var loader = BoltzCommand.Loader();
        var pipelines = layout.PipelineFiles(name).Select(f => loader.LoadFile(f, profile)).ToList();
        CheckStages(pipelines, stages);
        foreach (var p in pipelines)
            if (shard is { } k && PipelinePlan.ShardProblem(p, stages, k) is { } problem)
                throw new UsageException(problem);
        RunEnvironment.Check(layout);
        bool interactive = ConsoleProgress.IsInteractive;
        var log = new ConsoleLog(interactive);
        var cache = new ArtifactCache(layout.Cache);
        var options = new RunOptions(stages.Count > 0 ? stages : null, until, force, device, Shard: shard);
        // A lock held by a run on another node is waited for while that run's SLURM job lives (squeue; without squeue
        // it counts as alive, as before).
        var jobs = new SqueueJobLiveness();
        var reports = new List<RunReport>();
        foreach (var p in pipelines)
        {
            RunReport report;
            if (interactive)
            {
                var progress = new ConsoleProgress();
                report = await progress.RunAsync(() => new PipelineRunner(cache, progress, log, layout.Artifacts, jobs).RunAsync(p, options, ct));
            }
            else
            {
                report = await new PipelineRunner(cache, new LineProgress(stdout), log, layout.Artifacts, jobs).RunAsync(p, options, ct);
            }
            reports.Add(report);
        }
        var index = Boltzmann.Pipelines.Engine.ArtifactsIndex.Update(layout.Artifacts);
        foreach (var r in reports)
        {
            stdout.WriteLine($"{r.Pipeline} ({r.Profile}): {r.Stages.Count(s => s.Status == StageStatus.Cached)} cached, " +
                             $"{r.Stages.Count(s => s.Status != StageStatus.Cached)} computed, {ProgressText.FormatDuration(r.Elapsed)}");
            foreach (var s in r.Stages)
            {
                stdout.WriteLine($"  {s.Stage,-24} {s.Status.ToString().ToLowerInvariant(),-10} {s.Key}  {ProgressText.FormatDuration(s.Elapsed)}");
                if (s.Units is { } units && shard is null)
                    stdout.WriteLine($"  {"",-24} units: {units.Count(u => u.Status == StageStatus.Cached)} cached, {units.Count(u => u.Status != StageStatus.Cached)} computed");
            }
        }
        if (index is not null) stdout.WriteLine($"figures: {index}");
        return 0;
    }
}
