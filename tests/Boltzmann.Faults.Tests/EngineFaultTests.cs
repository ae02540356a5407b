using System.Text.Json.Nodes;
using Boltzmann.Data.Figures;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Faults.Tests;

/// <summary>Engine-level faults that need a stage to misbehave on cue: an output removed under a run, non-finite figure data.</summary>
[Trait("Category", "Faults")]
public sealed class EngineFaultTests
{
    private sealed record NoParameters;

    /// <summary>Publishes one file.</summary>
    private sealed class PublishingKind : StageKind<NoParameters>
    {
        public override string Kind => "test-publish";
        public override int Version => 1;
        public override StagePhase Phase => StagePhase.Generate;
        public override string Description => "writes publish/out.txt";
        protected override NoParameters Parse(ParameterReader reader) => new();
        protected override Task RunAsync(StageContext context, NoParameters parameters)
        {
            File.WriteAllText(context.OutputPath($"{PipelineRunner.PublishFolder}/out.txt"), "published");
            return Task.CompletedTask;
        }
    }

    /// <summary>Plays a concurrent <c>boltz clean</c>: removes its upstream's committed artifact while it runs.</summary>
    private sealed class CleaningKind : StageKind<NoParameters>
    {
        public override string Kind => "test-clean-upstream";
        public override int Version => 1;
        public override StagePhase Phase => StagePhase.Evaluate;
        public override string Description => "deletes its upstream artifact";
        public override IReadOnlyList<UpstreamSlot> Upstream => [new("source", ["test-publish"])];
        protected override NoParameters Parse(ParameterReader reader) => new();
        protected override Task RunAsync(StageContext context, NoParameters parameters)
        {
            Directory.Delete(context.Input("source").Directory, recursive: true);
            File.WriteAllText(context.OutputPath("done.txt"), "done");
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_run_whose_published_stage_vanished_fails_instead_of_reporting_success()
    {
        using var ws = new PipelineWorkspace(() => new StageRegistry().Add(new PublishingKind()).Add(new CleaningKind()), Profiles.Smoke);
        var p = ws.Load("""
            { "name": "vanish", "seed": 1, "stages": [
              { "name": "figures", "kind": "test-publish" },
              { "name": "later", "kind": "test-clean-upstream", "upstream": { "source": "figures" } } ] }
            """);
        var e = await Assert.ThrowsAsync<PublishException>(() => ws.RunAsync(p));
        Assert.Contains("vanished", e.Message);
        Assert.Contains("figures", e.Message);
        Assert.False(File.Exists(Path.Combine(ws.Artifacts, "vanish", "figures", "out.txt")));
    }

    private static StageContext Context(string work, MemoryLog log) => new()
    {
        Pipeline = "p",
        Profile = Profiles.Smoke,
        Stage = new ResolvedStage("fig-stage", null!, new object(), new JsonObject(), 1, new Dictionary<string, string>(), ""),
        WorkDirectory = work,
        Resuming = false,
        Upstream = new Dictionary<string, UpstreamArtifact>(),
        Progress = SilentProgress.Instance,
        Log = log,
        Device = "cpu",
        Cancellation = CancellationToken.None,
    };

    private static FigureTable Figure(int points, int nonFinite) => new("f", "a figure", [new FigurePanel("a", "A", "T", "C")],
        [.. Enumerable.Range(0, points).Select(i => new FigurePoint("f", "a", "estimate", 0.5 + i, i < nonFinite ? double.NaN : i, 0))],
        new Dictionary<string, string>());

    [Fact]
    public void Every_dropped_figure_point_is_warned_about_with_stage_series_and_x()
    {
        using var work = new TempDirectory("boltz-fig-");
        var log = new MemoryLog();
        Assert.True(FigurePublisher.Publish(Context(work.Path, log), Figure(points: 8, nonFinite: 2)));
        var warning = Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.Contains("fig-stage", warning);
        Assert.Contains("series \"estimate\"", warning);
        Assert.Contains("x = 0.5, 1.5", warning);
    }

    [Fact]
    public void A_figure_that_would_drop_more_than_the_stated_fraction_fails()
    {
        using var work = new TempDirectory("boltz-fig-");
        var e = Assert.Throws<FigureDataException>(() => FigurePublisher.Publish(Context(work.Path, new MemoryLog()), Figure(points: 8, nonFinite: 3)));
        Assert.Contains("3 of the 8 points", e.Message);
        Assert.False(Directory.Exists(Path.Combine(work.Path, PipelineRunner.PublishFolder)));
    }
}
