using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Sk.Tests;

/// <summary>A throwaway repository layout (pipelines, cache, artifacts) under the temp folder.</summary>
public sealed class TestWorkspace : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("boltz-test-").FullName;
    public string Cache => Path.Combine(Root, "data");
    public string Artifacts => Path.Combine(Root, "artifacts");
    public MemoryLog Log { get; } = new();

    public static StageRegistry Registry() => SkStages.Register(new StageRegistry());

    public string WritePipeline(string json, string name = "test.json")
    {
        var path = Path.Combine(Root, "pipelines", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    public ResolvedPipeline Load(string json, string profile = "smoke") => new PipelineLoader(Registry()).LoadFile(WritePipeline(json), profile);

    public PipelineRunner Runner(IProgressSink? progress = null, string? cacheRoot = null) =>
        new(new ArtifactCache(cacheRoot ?? Cache), progress ?? SilentProgress.Instance, Log, Artifacts);

    public Task<RunReport> RunAsync(ResolvedPipeline p, RunOptions? options = null, CancellationToken ct = default, IProgressSink? progress = null, string? cacheRoot = null) =>
        Runner(progress, cacheRoot).RunAsync(p, options ?? new RunOptions(), ct);

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }

    /// <summary>A small but complete SK pipeline: instances -> exact + PT -> observables -> figures.</summary>
    public const string SmallSk = """
    {
      "name": "sk-test", "seed": 7,
      "stages": [
        { "name": "instances", "kind": "sk-instances", "params": { "n": 10, "count": 1 } },
        { "name": "exact", "kind": "sk-exact", "upstream": { "instances": "instances" },
          "params": { "temperatures": [0.5, 0.7, 1.0, 1.4, 2.0], "grid": { "tmin": 0.5, "tmax": 2.0, "points": 7 } } },
        { "name": "pt", "kind": "sk-pt", "upstream": { "instances": "instances" },
          "params": { "ladder": { "temperatures": [0.5, 0.7, 1.0, 1.4, 2.0] }, "burn_in": 200, "samples": 3000, "samples_per_part": 500 } },
        { "name": "observables", "kind": "sk-pt-observables", "upstream": { "samples": "pt", "exact": "exact" }, "params": { "blocks": 20 } },
        { "name": "figures", "kind": "sk-pt-figures", "upstream": { "observables": "observables", "exact": "exact" }, "params": {} }
      ]
    }
    """;
}
