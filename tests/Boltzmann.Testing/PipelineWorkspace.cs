using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Testing;

/// <summary>
/// A throwaway repository layout under the temp folder: <c>pipelines/</c> for the pipeline files a test writes,
/// <c>data/</c> for the artifact cache and <c>artifacts/</c> for published outputs. A test project binds it to the
/// stage kinds it tests (<paramref name="registry"/>) and to the profile and run options its pipelines assume.
/// </summary>
public class PipelineWorkspace(Func<StageRegistry> registry, string defaultProfile, RunOptions? defaultOptions = null, string prefix = "boltz-test-")
    : IDisposable
{
    private readonly TempDirectory _directory = new(prefix);
    private readonly RunOptions _defaultOptions = defaultOptions ?? new RunOptions();

    public string Root => _directory.Path;

    public string Cache => _directory.Combine("data");

    public string Artifacts => _directory.Combine("artifacts");

    public MemoryLog Log { get; } = new();

    public string WritePipeline(string json, string name = "test.json")
    {
        var path = _directory.Combine("pipelines", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    public ResolvedPipeline Load(string json, string? profile = null) =>
        new PipelineLoader(registry()).LoadFile(WritePipeline(json), profile ?? defaultProfile);

    public PipelineRunner Runner(IProgressSink? progress = null, string? cacheRoot = null) =>
        new(new ArtifactCache(cacheRoot ?? Cache), progress ?? SilentProgress.Instance, Log, Artifacts);

    public Task<RunReport> RunAsync(ResolvedPipeline p, RunOptions? options = null, CancellationToken ct = default,
                                    IProgressSink? progress = null, string? cacheRoot = null) =>
        Runner(progress, cacheRoot).RunAsync(p, options ?? _defaultOptions, ct);

    /// <summary>The output directory of stage <paramref name="stage"/> in a run report.</summary>
    public static string StageDirectory(RunReport report, string stage) => report.Stages.Single(s => s.Stage == stage).Directory;

    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }
}
