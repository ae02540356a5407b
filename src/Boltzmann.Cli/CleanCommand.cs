using Boltzmann.Data.Cache;

namespace Boltzmann.Cli;

public static class CleanCommand
{
    public static int Execute(string[] args, TextWriter stdout)
    {
        var a = CliArguments.Parse(args, new HashSet<string> { "work", "all" }, new HashSet<string>());
        if (a.Positional.Count > 0) throw new UsageException("clean takes no positional arguments");
        var layout = RepoLayout.Discover();
        var cache = new ArtifactCache(layout.Cache);
        if (a.Flag("work") && !a.Flag("all"))
        {
            cache.Clean(workDirsOnly: true);
            stdout.WriteLine($"removed interrupted work directories under {layout.Cache}");
            return 0;
        }
        cache.Clean(workDirsOnly: false);
        if (Directory.Exists(layout.Artifacts))
            foreach (var entry in Directory.EnumerateFileSystemEntries(layout.Artifacts))
            {
                if (Path.GetFileName(entry) == "README.md") continue;
                if (Directory.Exists(entry)) Directory.Delete(entry, true); else File.Delete(entry);
            }
        stdout.WriteLine($"removed the cache ({layout.Cache}) and artifacts ({layout.Artifacts})");
        return 0;
    }
}
