using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.L2hmc.Tests;

public class ValidationTests
{
    private const string Pipeline = """
    { "name": "bad", "seed": 1, "stages": [
      { "name": "train", "kind": "l2hmc-train", "params": { "l": 4, "betas": [2.0, 3.0], "steps_per_era": 10, "retrain_steps": 2, "n_lf": 2, "eps": 0.2 } },
      { "name": "eval", "kind": "l2hmc-evaluate", "upstream": { "model": "train" }, "params": { "hmc_n_lf": [2], "hmc_eps": [0.2] } } ] }
    """;

    [Theory]
    [InlineData("\"l\": 4", "\"l\": 5", "$.stages[0].params.l")]
    [InlineData("\"l\": 4", "\"l\": 1", "$.stages[0].params.l")]
    [InlineData("[2.0, 3.0]", "[0.0, 3.0]", "$.stages[0].params.betas[0]")]
    [InlineData("[2.0, 3.0]", "[-1.0, 3.0]", "$.stages[0].params.betas[0]")]
    [InlineData("[2.0, 3.0]", "[3.0, 2.0]", "$.stages[0].params.betas[1]")]
    [InlineData("\"n_lf\": 2,", "\"n_lf\": 0,", "$.stages[0].params.n_lf")]
    [InlineData("\"eps\": 0.2 }", "\"eps\": 0 }", "$.stages[0].params.eps")]
    [InlineData("\"eps\": 0.2 }", "\"eps\": -0.1 }", "$.stages[0].params.eps")]
    [InlineData("\"retrain_steps\": 2", "\"retrain_steps\": 10", "$.stages[0].params.retrain_steps")]
    [InlineData("\"hmc_n_lf\": [2]", "\"hmc_n_lf\": [0]", "$.stages[1].params.hmc_n_lf[0]")]
    [InlineData("\"hmc_eps\": [0.2]", "\"hmc_eps\": [0.0]", "$.stages[1].params.hmc_eps[0]")]
    [InlineData("\"hmc_eps\": [0.2]", "\"hmc_eps\": [0.2, 0.1]", "$.stages[1].params.hmc_eps")]
    public void BadInputNamesItsJsonPath(string find, string replace, string path)
    {
        using var ws = new L2hmcWorkspace();
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load(Pipeline.Replace(find, replace)));
        Assert.Contains(ex.Errors, e => e.Path.StartsWith(path, StringComparison.Ordinal));
        Assert.False(Directory.Exists(ws.Cache));
    }

    [Fact]
    public void GoodInputLoads()
    {
        using var ws = new L2hmcWorkspace();
        Assert.Equal(2, ws.Load(Pipeline).Stages.Count);
    }

    [Theory]
    [InlineData("smoke")]
    [InlineData("default")]
    [InlineData("paper")]
    public void RepositoryPipelineLoadsInEveryProfile(string profile)
    {
        var p = new PipelineLoader(L2hmcWorkspace.Registry()).LoadFile(RepoPipelines.File("l2hmc"), profile);
        Assert.Equal(6, p.Stages.Count);
    }
}
