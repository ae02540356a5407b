using System.CommandLine;
using Boltzmann.Data.Cache;

namespace Boltzmann.Cli;

public static class CleanCommand
{
    public static Command Create()
    {
        var work = new Option<bool>("--work") { Description = "only remove interrupted work directories" };
        var all = new Option<bool>("--all") { Description = "remove the cache and the artifacts (the default; overrides --work)" };
        var command = new Command("clean", "remove the cache and artifacts (--work: only interrupted work directories)") { work, all };
        command.SetAction(r => Execute(r.GetValue(work) && !r.GetValue(all), r.InvocationConfiguration.Output));
        return command;
    }

    public static int Execute(bool workDirectoriesOnly, TextWriter stdout)
    {
        var layout = RepoLayout.Discover();
        var cache = new ArtifactCache(layout.Cache);
        if (workDirectoriesOnly)
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
