using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Lattice;

namespace Boltzmann.Stages.Lattice.Tests;

/// <summary>A throwaway pipelines/cache/artifacts layout with the lattice stage kinds registered.</summary>
public sealed class LatticeWorkspace : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("boltz-lattice-").FullName;
    public string Cache => Path.Combine(Root, "data");
    public MemoryLog Log { get; } = new();

    public static StageRegistry Registry() => LatticeStages.Register(new StageRegistry());

    public ResolvedPipeline Load(string json, string profile = "default")
    {
        var path = Path.Combine(Root, "pipelines", "test.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return new PipelineLoader(Registry()).LoadFile(path, profile);
    }

    public Task<RunReport> RunAsync(ResolvedPipeline p, RunOptions? options = null, CancellationToken ct = default, IProgressSink? progress = null, string? cacheRoot = null) =>
        new PipelineRunner(new ArtifactCache(cacheRoot ?? Cache), progress ?? SilentProgress.Instance, Log, Path.Combine(Root, "artifacts"))
            .RunAsync(p, options ?? new RunOptions(), ct);

    public static string StageDirectory(RunReport r, string stage) => r.Stages.Single(s => s.Stage == stage).Directory;

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}
