using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

public static class RunCommand
{
    private static readonly HashSet<string> Flags = ["force"];
    private static readonly HashSet<string> Options = ["stage", "until", "profile", "device"];

    public static async Task<int> ExecuteAsync(string[] args, TextWriter stdout, CancellationToken ct)
    {
        var a = CliArguments.Parse(args, Flags, Options);
        var layout = RepoLayout.Discover();
        var name = BoltzCommand.Single(a, "pipeline name (or 'all')");
        var profile = BoltzCommand.Profile(a);
        var device = a.Option("device") ?? "auto";
        if (!new[] { "auto", "cpu", "cuda" }.Contains(device)) throw new UsageException($"--device \"{device}\" is not allowed; must be auto, cpu or cuda");
        StagePhase? until = a.Option("until") is { } u
            ? Enum.TryParse<StagePhase>(u, ignoreCase: true, out var ph) ? ph : throw new UsageException($"--until \"{u}\" is not allowed; must be generate, train, evaluate or figures")
            : null;
        var stages = a.Options("stage");
        if (stages.Count > 0 && name == "all") throw new UsageException("--stage needs a single pipeline, not 'all'");

        // Validate every requested pipeline before running any of them: a bad file writes nothing.
        var loader = BoltzCommand.Loader();
        var pipelines = layout.PipelineFiles(name).Select(f => loader.LoadFile(f, profile)).ToList();
        foreach (var p in pipelines) foreach (var s in stages) p.Stage(s);

        bool interactive = ConsoleProgress.IsInteractive;
        var log = new ConsoleLog(interactive);
        var cache = new ArtifactCache(layout.Cache);
        var options = new RunOptions(stages.Count > 0 ? stages : null, until, a.Flag("force"), device);
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
                stdout.WriteLine($"  {s.Stage,-24} {s.Status.ToString().ToLowerInvariant(),-10} {s.Key}  {ProgressText.FormatDuration(s.Elapsed)}");
        }
        if (index is not null) stdout.WriteLine($"figures: {index}");
        return 0;
    }
}
