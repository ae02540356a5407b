namespace Boltzmann.Cli;

/// <summary>
/// Where things live: the repository root (the folder holding Pipeline.sln, or $BOLTZMANN_ROOT),
/// pipelines/, the cache (data/ or $BOLTZMANN_CACHE) and artifacts/ (or $BOLTZMANN_ARTIFACTS).
/// </summary>
public sealed record RepoLayout(string Root, string Pipelines, string Cache, string Artifacts)
{
    public static RepoLayout Discover(string? start = null)
    {
        string? root = Environment.GetEnvironmentVariable("BOLTZMANN_ROOT");
        if (string.IsNullOrEmpty(root))
        {
            var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory());
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) dir = dir.Parent;
            root = dir?.FullName ?? throw new UsageException(
                "cannot find the repository root (a folder with Pipeline.sln) above the current directory; run boltz inside the repository or set BOLTZMANN_ROOT");
        }
        root = Path.GetFullPath(root);
        string cache = Boltzmann.Data.Cache.ArtifactCache.DefaultRoot(root);
        string artifacts = Environment.GetEnvironmentVariable("BOLTZMANN_ARTIFACTS") is { Length: > 0 } a ? Path.GetFullPath(a) : Path.Combine(root, "artifacts");
        return new RepoLayout(root, Path.Combine(root, "pipelines"), cache, artifacts);
    }

    /// <summary>A pipeline name (pipelines/NAME.json) or a path to a pipeline file.</summary>
    public string PipelineFile(string nameOrPath)
    {
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/'))
            return Path.GetFullPath(nameOrPath);
        var file = Path.Combine(Pipelines, nameOrPath + ".json");
        if (!File.Exists(file))
            throw new UsageException($"unknown pipeline \"{nameOrPath}\"; known: {string.Join(", ", PipelineNames())}");
        return file;
    }

    public IReadOnlyList<string> PipelineNames() =>
        Directory.Exists(Pipelines)
            ? Directory.GetFiles(Pipelines, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>"all" expands to every pipeline file.</summary>
    public IReadOnlyList<string> PipelineFiles(string nameOrAll) =>
        nameOrAll == "all" ? PipelineNames().Select(PipelineFile).ToList() : [PipelineFile(nameOrAll)];
}
