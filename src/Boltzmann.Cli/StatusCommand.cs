using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

public static class StatusCommand
{
    public static int Execute(string[] args, TextWriter stdout)
    {
        var a = CliArguments.Parse(args, new HashSet<string>(), new HashSet<string> { "profile" });
        var layout = RepoLayout.Discover();
        var name = BoltzCommand.Single(a, "pipeline name (or 'all')");
        var profile = BoltzCommand.Profile(a);
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
            }
        }
        return 0;
    }

    private static long DirectorySize(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
