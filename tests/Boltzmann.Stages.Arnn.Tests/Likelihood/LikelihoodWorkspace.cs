using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk;

namespace Boltzmann.Stages.Arnn.Tests.Likelihood;

/// <summary>A throwaway pipelines/cache/artifacts layout with the plain SK stages and the likelihood stages registered.</summary>
internal sealed class LikelihoodWorkspace : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("boltz-likelihood-stage-").FullName;
    public string Cache => Path.Combine(Root, "data");
    public string Artifacts => Path.Combine(Root, "artifacts");
    public MemoryLog Log { get; } = new();

    public static StageRegistry Registry() => LikelihoodStageSet.Register(SkStages.Register(new StageRegistry()));

    public ResolvedPipeline Load(string json, string profile = "default")
    {
        var path = Path.Combine(Root, "pipelines", "test.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return new PipelineLoader(Registry()).LoadFile(path, profile);
    }

    public Task<RunReport> RunAsync(ResolvedPipeline p, CancellationToken ct = default, IProgressSink? progress = null, string? cacheRoot = null) =>
        new PipelineRunner(new ArtifactCache(cacheRoot ?? Cache), progress ?? SilentProgress.Instance, Log, Artifacts).RunAsync(p, new RunOptions(), ct);

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }

    /// <summary>One 12-spin instance, Metropolis at T = 0.8 (a one-temperature ladder), SK_1RSB by maximum likelihood, the figure.</summary>
    public static string Pipeline(string likelihoodParams = """ "beta": 1.25, "steps": 300, "batch": 200, "log_interval": 20, "checkpoint_interval": 50 """) => $$"""
    { "name": "lik-test", "seed": 11,
      "stages": [
        { "name": "instances", "kind": "sk-instances", "params": { "n": 12, "count": 1 } },
        { "name": "metropolis", "kind": "sk-pt", "upstream": { "instances": "instances" },
          "params": { "ladder": { "temperatures": [0.8] }, "chains": 1, "burn_in": 500, "thin": 20, "samples": 2500, "samples_per_part": 500 } },
        { "name": "likelihood", "kind": "arnn-likelihood", "upstream": { "instances": "instances", "samples": "metropolis" },
          "params": { {{likelihoodParams}} } },
        { "name": "figures", "kind": "arnn-likelihood-figures", "upstream": { "likelihood": "likelihood" }, "params": {} } ] }
    """;
}
