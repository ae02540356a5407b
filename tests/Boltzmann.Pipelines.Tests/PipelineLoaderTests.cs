using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Pipelines.Tests;

/// <summary>What the loader rejects before any stage kind is consulted, so no kinds are registered.</summary>
public class PipelineLoaderTests
{
    private static PipelineConfigException Reject(string json, string profile = "default") =>
        Assert.Throws<PipelineConfigException>(() => new PipelineLoader(new StageRegistry()).Load(json, "p.json", profile));

    [Fact]
    public void InvalidJsonGivesTheLine()
    {
        var e = Assert.Single(Reject("{ \"name\": \"p\",\n  \"seed\": 1,\n  \"stages\": [ oops ] }").Errors);
        Assert.Contains("line 3", e.Path);
    }

    [Fact]
    public void UnknownProfileIsRejected()
    {
        var ex = Reject("""{ "name": "p", "seed": 1, "stages": [] }""", "huge");
        Assert.Contains("smoke, default, paper", ex.Message);
    }
}
