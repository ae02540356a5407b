using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk;
using Snapshooter;
using Snapshooter.Xunit;

namespace Boltzmann.Cli.Tests;

/// <summary>
/// Locks, in the smoke profile, the outputs of the plain-C# stages of the learned pipelines: the SK instances,
/// exact enumeration and parallel tempering (Metropolis) that the flows and networks are trained on and checked
/// against. Those stages are deterministic across CPUs (numbers compared after <see cref="SnapshotRounding"/>); the
/// training stages are not, so they are checked against exact results in <see cref="CliTests"/> instead. Only the
/// plain stages run here (no training). cw-arnn has no plain stage: its exact references live inside the
/// annealing stage. CI runs with SNAPSHOOTER_STRICT_MODE=true, so a missing snapshot fails instead of being created.
/// </summary>
public class PlainStageSnapshotTests
{
    /// <summary>Content hashes compare bits, not values; the rounded numbers they hash are locked instead.</summary>
    private static readonly HashSet<string> Unrounded = ["hash"];

    [Theory]
    [InlineData("sk-flow")]
    [InlineData("sk-arnn")]
    public async Task SmokeOutputsOfThePlainStagesAreLocked(string pipeline)
    {
        using var ws = new PipelineWorkspace(StageCatalog.CreateRegistry, "smoke");
        var p = new PipelineLoader(StageCatalog.CreateRegistry()).LoadFile(RepoPipelines.File(pipeline), "smoke");
        var plainKinds = SkStages.Register(new StageRegistry()).Names.ToHashSet();
        var plain = p.Stages.Where(s => plainKinds.Contains(s.Kind.Kind)).Select(s => s.Name).ToList();
        Assert.NotEmpty(plain);

        var report = await ws.RunAsync(p, new RunOptions(Stages: plain, Device: "cpu"));

        var outputs = report.Stages
            .OrderBy(s => s.Stage, StringComparer.Ordinal)
            .Select(s => new { s.Stage, s.Kind, Files = Files(s.Directory) })
            .ToList();
        Assert.Equal(plain.Order(StringComparer.Ordinal), outputs.Select(o => o.Stage));
        Snapshot.Match(outputs, SnapshotNameExtension.Create(pipeline));
    }

    /// <summary>Tables and summaries of one stage, rounded; the manifest (timings, versions) and binary sample parts are left out.</summary>
    private static List<object> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(f => f != "manifest.json" && (f.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .Select(f => (object)new
            {
                File = f,
                Lines = f.EndsWith(".csv", StringComparison.Ordinal)
                    ? File.ReadLines(Path.Combine(directory, f)).Select(SnapshotRounding.RoundCsvLine).ToList()
                    : SnapshotRounding.RoundJson(File.ReadAllText(Path.Combine(directory, f)), Unrounded).Split('\n').ToList(),
            })
            .ToList();
}
