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
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var p = new PipelineLoader(LatticeWorkspace.Registry()).LoadFile(Path.Combine(dir!.FullName, "pipelines", pipeline + ".json"), profile);
        Assert.NotEmpty(p.Stages);
    }
}
