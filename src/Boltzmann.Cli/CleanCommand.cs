using System.CommandLine;
using Boltzmann.Data.Cache;

namespace Boltzmann.Cli;

/// <summary>
/// <c>boltz clean</c>: removes the cache (or only its interrupted work directories) and the published artifacts,
/// and says exactly what it removed and what it left and why. Anything left (a key a running session holds, a
/// read-only cache) makes the exit code 1, so a script never mistakes a partial clean for a clean one.
/// </summary>
public static class CleanCommand
{
    public static Command Create()
    {
        var work = new Option<bool>("--work") { Description = "only remove interrupted work directories" };
        var all = new Option<bool>("--all") { Description = "remove the cache and the artifacts (the default; overrides --work)" };
        var command = new Command("clean", "remove the cache and artifacts (--work: only interrupted work directories)") { work, all };
        command.SetAction(r => Execute(r.GetValue(work) && !r.GetValue(all), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    public static int Execute(bool workDirectoriesOnly, TextWriter stdout, TextWriter? stderr = null)
    {
        stderr ??= stdout;
        var layout = RepoLayout.Discover();
        var cache = new ArtifactCache(layout.Cache);
        var report = cache.Clean(workDirsOnly: workDirectoriesOnly);
        var removed = report.Removed.ToList();
        var skipped = report.Skipped.Select(s => (s.Directory, s.Reason)).ToList();
        if (!workDirectoriesOnly && Directory.Exists(layout.Artifacts))
            foreach (var entry in Directory.EnumerateFileSystemEntries(layout.Artifacts))
            {
                if (Path.GetFileName(entry) == "README.md") continue;
                try
                {
                    if (Directory.Exists(entry)) Directory.Delete(entry, true); else File.Delete(entry);
                    removed.Add(entry);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    skipped.Add((entry, $"could not be removed: {e.Message}"));
                }
            }

        foreach (var r in removed) stdout.WriteLine($"removed {r}");
        foreach (var (path, reason) in skipped) stderr.WriteLine($"skipped {path}: {reason}");
        string what = workDirectoriesOnly ? $"interrupted work directories under {layout.Cache}" : $"the cache ({layout.Cache}) and artifacts ({layout.Artifacts})";
        stdout.WriteLine($"clean: {what}: removed {removed.Count} entr{(removed.Count == 1 ? "y" : "ies")} " +
                         $"({BoltzCommand.FormatBytes(report.BytesFreed)} from the cache), skipped {skipped.Count}");
        if (skipped.Count == 0) return 0;
        stderr.WriteLine($"boltz: clean skipped {skipped.Count} entr{(skipped.Count == 1 ? "y" : "ies")} (listed above); rerun when the running session has finished, or fix the permissions");
        return 1;
    }
}
