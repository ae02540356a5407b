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
        var p = new PipelineLoader(NisWorkspace.Registry()).LoadFile(RepoPipelines.File("phi4-nis"), profile);
        Assert.Equal(10, p.Stages.Count);
    }
}
