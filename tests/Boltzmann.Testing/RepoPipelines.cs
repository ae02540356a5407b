namespace Boltzmann.Testing;

/// <summary>Locates the repository's pipelines/ folder from the test binary.</summary>
public static class RepoPipelines
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root (Pipeline.sln) not found above the test binaries");
        }
    }

    public static string File(string name) => Path.Combine(Root, "pipelines", name + ".json");
}
