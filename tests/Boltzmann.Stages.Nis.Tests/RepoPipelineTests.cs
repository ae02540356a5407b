using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Nis.Tests;

public class RepoPipelineTests
{
    [Theory]
    [InlineData("smoke")]
    [InlineData("default")]
    [InlineData("paper")]
    public void Phi4NisLoadsInEveryProfile(string profile)
    {
        // The phi4 stages (the 2D Ising stages of the same file are Stages.Arnn kinds, loaded by its own tests and the CLI).
        var text = RepoPipelines.Stages("phi4-nis", name => !name.StartsWith("ising-", StringComparison.Ordinal));
        var p = new PipelineLoader(NisWorkspace.Registry()).Load(text, RepoPipelines.File("phi4-nis"), profile);
        Assert.Equal(10, p.Stages.Count);
    }
}
