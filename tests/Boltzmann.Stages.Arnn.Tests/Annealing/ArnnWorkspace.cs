using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk;

namespace Boltzmann.Stages.Arnn.Tests.Annealing;

/// <summary>A throwaway pipeline workspace (pipelines, cache, artifacts) with the plain and ARNN stage kinds.</summary>
internal sealed class ArnnWorkspace : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("boltz-arnn-").FullName;
    public string Cache => Path.Combine(Root, "data");
    public string Artifacts => Path.Combine(Root, "artifacts");
    public MemoryLog Log { get; } = new();

    public static StageRegistry Registry() => ArnnStages.Register(SkStages.Register(new StageRegistry()));

    public ResolvedPipeline Load(string json, string profile = "default")
    {
        var path = Path.Combine(Root, "pipelines", "test.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return new PipelineLoader(Registry()).LoadFile(path, profile);
    }

    public Task<RunReport> RunAsync(ResolvedPipeline p, RunOptions? options = null, CancellationToken ct = default, IProgressSink? progress = null, string? cacheRoot = null) =>
        new PipelineRunner(new ArtifactCache(cacheRoot ?? Cache), progress ?? SilentProgress.Instance, Log, Artifacts)
            .RunAsync(p, options ?? new RunOptions(Device: "cpu"), ct);

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}
