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
        Assert.Equal(11, p.Stages.Count);
        // The forward-KL flows train on one half of the HMC chains and every evaluation's p-estimators use the other.
        Assert.All(p.Stages.Where(s => s.Kind.Kind == "phi4-nis-train"), s => Assert.True(((Boltzmann.Stages.Nis.Training.Phi4NisTrainParameters)s.Parameters).HoldOut));
    }
}
