using System.CommandLine;
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
        var shard = new Option<int?>("--shard")
        {
            Description = "run only unit K (0-based) of the one sharded --stage, caching it without gathering (a cluster array task)",
            HelpName = "K",
        };
        var command = new Command("run", "run stages (cached ones are reused); --force recomputes the selected stages")
        {
            pipeline, stage, until, profile, force, device, shard,
        };
        command.SetAction((r, ct) => ExecuteAsync(r.GetRequiredValue(pipeline), r.GetValue(stage) ?? [],
            r.GetValue(until) is { } u ? Enum.Parse<StagePhase>(u, ignoreCase: true) : null,
            r.GetRequiredValue(profile), r.GetValue(force), r.GetRequiredValue(device), r.InvocationConfiguration.Output, ct, r.GetValue(shard)));
        return command;
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
        foreach (var p in pipelines)
            foreach (var s in stages)
                if (p.Stages.All(x => x.Name != s))
                    throw new UsageException($"--stage \"{s}\": pipeline \"{p.Name}\" has no such stage; its stages: {string.Join(", ", p.Stages.Select(x => x.Name))}");
        foreach (var p in pipelines)
            if (shard is { } k && PipelinePlan.ShardProblem(p, stages, k) is { } problem)
                throw new UsageException(problem);
        RunEnvironment.Check(layout);
        bool interactive = ConsoleProgress.IsInteractive;
        var log = new ConsoleLog(interactive);
        var cache = new ArtifactCache(layout.Cache);
        var options = new RunOptions(stages.Count > 0 ? stages : null, until, force, device, Shard: shard);
        var reports = new List<RunReport>();
        foreach (var p in pipelines)
        {
            RunReport report;
            if (interactive)
            {
                var progress = new ConsoleProgress();
                report = await progress.RunAsync(() => new PipelineRunner(cache, progress, log, layout.Artifacts).RunAsync(p, options, ct));
            }
            else
            {
                report = await new PipelineRunner(cache, new LineProgress(stdout), log, layout.Artifacts).RunAsync(p, options, ct);
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
