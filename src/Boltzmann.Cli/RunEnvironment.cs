using Boltzmann.Learning.Runtime;

namespace Boltzmann.Cli;

/// <summary>
/// Checks of the environment a run depends on, made before any stage runs so a bad setting is a usage error
/// (exit 2, nothing written) rather than a failure after earlier stages were committed.
/// </summary>
internal static class RunEnvironment
{
    public static void Check(RepoLayout layout)
    {
        try
        {
            TorchThreads.Requested();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        RequireDirectoryOrAbsent(layout.Cache, $"the cache ({Boltzmann.Data.Cache.ArtifactCache.RootEnvironmentVariable} or data/)");
        RequireDirectoryOrAbsent(layout.Artifacts, "the artifacts folder (BOLTZMANN_ARTIFACTS or artifacts/)");
    }

    /// <summary>A path the run creates folders under must not be a file (nor lie below one).</summary>
    private static void RequireDirectoryOrAbsent(string path, string what)
    {
        for (var p = path; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
        {
            if (Directory.Exists(p)) return;
            if (File.Exists(p))
                throw new UsageException(p == path
                    ? $"{what} '{path}' is a file, not a folder; point it at a folder (it is created if missing)"
                    : $"{what} '{path}' lies below '{p}', which is a file; point it at a folder");
        }
    }
}
