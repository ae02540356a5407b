using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Pipelines.Tests;

/// <summary>A stage's <c>resources</c> key: validated like every other key, and never part of the cache key.</summary>
public class StageResourcesTests
{
    private sealed record Params(int N);

    private sealed class CountKind : StageKind<Params>
    {
        public override string Kind => "test-count";
        public override int Version => 1;
        public override StagePhase Phase => StagePhase.Generate;
        public override string Description => "test";
        protected override Params Parse(ParameterReader reader) => new(reader.Int("n", 1, min: 1));
        protected override Task RunAsync(StageContext context, Params parameters) => Task.CompletedTask;
    }

    private static ResolvedPipeline Load(string resources) =>
        new PipelineLoader(new StageRegistry().Add(new CountKind())).Load(
            $$"""{ "name": "p", "seed": 1, "stages": [ { "name": "a", "kind": "test-count", "params": { "n": 3 }{{resources}} } ] }""", "p.json", "default");

    [Fact]
    public void ResourcesAreReadAndDoNotChangeTheCacheKey()
    {
        var plain = Load("");
        var withResources = Load(""", "resources": { "cpus": 4, "memory": "16G", "time": "1-12:00:00", "gpus": 1 }""");
        Assert.Null(plain.Stages[0].Resources);
        Assert.Equal(new StageResources(4, "16G", "1-12:00:00", 1), withResources.Stages[0].Resources);
        Assert.Equal(PipelinePlan.Keys(plain)["a"], PipelinePlan.Keys(withResources)["a"]);
        // A parameter change does change the key: the comparison above can fail.
        var other = new PipelineLoader(new StageRegistry().Add(new CountKind())).Load(
            """{ "name": "p", "seed": 1, "stages": [ { "name": "a", "kind": "test-count", "params": { "n": 4 } } ] }""", "p.json", "default");
        Assert.NotEqual(PipelinePlan.Keys(plain)["a"], PipelinePlan.Keys(other)["a"]);
    }

    [Theory]
    [InlineData("""{ "cpu": 2 }""", "$.stages[0].resources.cpu", "unknown key \"cpu\"")]
    [InlineData("""{ "cpus": 0 }""", "$.stages[0].resources.cpus", ">= 1")]
    [InlineData("""{ "cpus": "2" }""", "$.stages[0].resources.cpus", "")]
    [InlineData("""{ "memory": "4GB" }""", "$.stages[0].resources.memory", "K, M, G or T suffix")]
    [InlineData("""{ "memory": 4 }""", "$.stages[0].resources.memory", "not a string")]
    [InlineData("""{ "time": "2h" }""", "$.stages[0].resources.time", "SLURM time limit")]
    [InlineData("""{ "time": "00:00:00" }""", "$.stages[0].resources.time", "SLURM time limit")]
    [InlineData("""{ "time": "01:75:00" }""", "$.stages[0].resources.time", "SLURM time limit")]
    [InlineData("""{ "gpus": -1 }""", "$.stages[0].resources.gpus", ">= 0")]
    [InlineData("""[2]""", "$.stages[0].resources", "not an object")]
    public void BadResourcesAreConfigErrorsNamingFileStageAndKey(string resources, string path, string message)
    {
        var e = Assert.Throws<PipelineConfigException>(() => Load($$""", "resources": {{resources}}"""));
        var error = Assert.Single(e.Errors);
        Assert.Equal("p.json", error.File);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("30", true)]
    [InlineData("30:00", true)]
    [InlineData("02:00:00", true)]
    [InlineData("100:00:00", true)]
    [InlineData("2-00", true)]
    [InlineData("2-12:30", true)]
    [InlineData("2-12:30:15", true)]
    [InlineData("0", false)]
    [InlineData("2-25", false)]
    [InlineData("1:2:3:4", false)]
    [InlineData("", false)]
    [InlineData("-1", false)]
    public void SlurmTimeFormats(string time, bool valid) => Assert.Equal(valid, StageResources.IsTime(time));
}
