using System.CommandLine;
using Boltzmann.Cli.Slurm;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

public static class StatusCommand
{
    public static Command Create()
    {
        var pipeline = CliOptions.Pipeline("pipeline name or 'all'");
        var profile = CliOptions.Profile();
        var command = new Command("status", "which stages are cached, their keys and sizes, and the SLURM state of submitted jobs") { pipeline, profile };
        command.SetAction(r => Execute(r.GetRequiredValue(pipeline), r.GetRequiredValue(profile), r.InvocationConfiguration.Output));
        return command;
    }

    public static int Execute(string name, string profile, TextWriter stdout)
    {
        var layout = RepoLayout.Discover();
        var loader = BoltzCommand.Loader();
        var cache = new ArtifactCache(layout.Cache);
        stdout.WriteLine($"cache: {layout.Cache}");
        foreach (var file in layout.PipelineFiles(name))
        {
            var p = loader.LoadFile(file, profile);
            var keys = PipelinePlan.Keys(p);
            stdout.WriteLine($"{p.Name} ({profile}):");
            foreach (var s in p.Stages)
            {
                var key = keys[s.Name];
                var look = cache.Lookup(key);
                string state = look.Status switch
                {
                    CacheLookupStatus.Hit => $"cached   {BoltzCommand.FormatBytes(DirectorySize(look.Artifact!.Directory)),10}  {look.Artifact.Manifest.WallTimeSeconds,8:F1} s",
                    CacheLookupStatus.Corrupt => $"CORRUPT  ({look.Reason})",
                    _ => Directory.Exists(cache.WorkDirectory(key)) ? "partial  (interrupted; resumes on next run)" : "missing",
                };
                stdout.WriteLine($"  {s.Name,-22} {s.Kind.Kind,-20} {key.Short}  {state}");
                var units = PipelinePlan.ShardKeys(p, s, key);
                if (units.Count > 0)
                    stdout.WriteLine($"  {"",-22} units: {units.Count(u => cache.Lookup(u.Key).IsHit)}/{units.Count} cached");
            }
            SlurmStatus.Print(SlurmCommands.FindOnPath("squeue") is null ? null : new SlurmCommands(), layout.Cache, p.Name, profile, stdout);
        }
        return 0;
    }

    private static long DirectorySize(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
