using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Lattice.Tests;

public class RepoPipelineTests
{
    [Theory]
    [InlineData("phi4-hmc", "smoke")]
    [InlineData("phi4-hmc", "default")]
    [InlineData("phi4-hmc", "paper")]
    [InlineData("u1-hmc", "smoke")]
    [InlineData("u1-hmc", "default")]
    [InlineData("u1-hmc", "paper")]
    public void RepositoryPipelinesLoadInEveryProfile(string pipeline, string profile)
    {
        var p = new PipelineLoader(LatticeWorkspace.Registry()).LoadFile(RepoPipelines.File(pipeline), profile);
        Assert.NotEmpty(p.Stages);
    }
}
