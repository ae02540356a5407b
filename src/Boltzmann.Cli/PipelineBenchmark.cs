using System.Diagnostics;
using System.Globalization;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

/// <summary>
/// End-to-end wall time of one pipeline profile from an empty cache (every stage computed: what a fresh clone
/// pays), then again on the filled cache (every stage a verified hit). Runs in a private temporary cache and
/// artifacts folder, so the repository's data/ and artifacts/ are neither used nor touched.
/// </summary>
public static class PipelineBenchmark
{
    public sealed record Result(string Pipeline, string Profile, int Stages, TimeSpan Cold, TimeSpan Warm, int WarmCached);

    public static async Task<Result> RunAsync(string pipelineFile, string profile, TextWriter progressOut, CancellationToken ct)
    {
        var pipeline = BoltzCommand.Loader().LoadFile(pipelineFile, profile);
        var root = Path.Combine(Path.GetTempPath(), $"boltz-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var cache = new ArtifactCache(Path.Combine(root, "data"));
            var artifacts = Path.Combine(root, "artifacts");
            var log = new ConsoleLog(interactive: false);
            var options = new RunOptions(null, null, Force: false, Device: "cpu");
            var sw = Stopwatch.StartNew();
            var cold = await new PipelineRunner(cache, new LineProgress(progressOut), log, artifacts).RunAsync(pipeline, options, ct);
            var coldTime = sw.Elapsed;
            sw.Restart();
            var warm = await new PipelineRunner(cache, new LineProgress(TextWriter.Null), log, artifacts).RunAsync(pipeline, options, ct);
            var warmTime = sw.Elapsed;
            return new Result(pipeline.Name, profile, cold.Stages.Count, coldTime, warmTime, warm.Stages.Count(s => s.Status == StageStatus.Cached));
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public static string Format(Result r) =>
        string.Create(CultureInfo.InvariantCulture,
            $"bench pipeline.{r.Pipeline}[{r.Profile}] end_to_end_seconds {r.Cold.TotalSeconds:F1} ({r.Stages} stages from an empty cache); " +
            $"repeat {r.Warm.TotalSeconds:F2} s ({r.WarmCached}/{r.Stages} cached)");
}
