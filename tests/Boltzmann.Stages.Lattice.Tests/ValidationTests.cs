using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.Lattice.Tests;

public class ValidationTests
{
    private const string Phi4 = """
    { "name": "bad", "seed": 1, "stages": [
      { "name": "hmc", "kind": "phi4-hmc", "params": { "l": 8, "t": 4, "lambda": 0.02, "kappas": [0.0, 0.1], "n_lf": 5, "eps": 0.1, "trajectories": 10, "burn_in": 5 } },
      { "name": "fe", "kind": "phi4-free-energy", "upstream": { "samples": "hmc" }, "params": {} } ] }
    """;

    [Theory]
    [InlineData("\"l\": 8", "\"l\": 1", "$.stages[0].params.l")]
    [InlineData("\"t\": 4", "\"t\": 0", "$.stages[0].params.t")]
    [InlineData("[0.0, 0.1]", "[0.0, -0.1]", "$.stages[0].params.kappas[1]")]
    [InlineData("\"lambda\": 0.02", "\"lambda\": -0.5", "$.stages[0].params.lambda")]
    [InlineData("\"eps\": 0.1", "\"eps\": 0", "$.stages[0].params.eps")]
    [InlineData("\"eps\": 0.1", "\"eps\": -0.1", "$.stages[0].params.eps")]
    [InlineData("\"n_lf\": 5", "\"n_lf\": 0", "$.stages[0].params.n_lf")]
    [InlineData("[0.0, 0.1]", "[0.1, 0.2]", "$.stages[1].params.samples")]
    public void BadPhi4InputNamesItsJsonPath(string find, string replace, string path)
    {
        using var ws = new LatticeWorkspace();
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load(Phi4.Replace(find, replace)));
        Assert.Contains(ex.Errors, e => e.Path.StartsWith(path, StringComparison.Ordinal));
        Assert.False(Directory.Exists(ws.Cache));
    }

    [Fact]
    public void GoodPhi4InputLoads()
    {
        using var ws = new LatticeWorkspace();
        Assert.Equal(2, ws.Load(Phi4).Stages.Count);
    }

    [Theory]
    [InlineData("\"betas\": [0.0, 1.0]", "$.stages[0].params.betas[0]")]
    [InlineData("\"betas\": [-1.0]", "$.stages[0].params.betas[0]")]
    [InlineData("\"betas\": [1.0], \"eps\": [0.0], \"n_lf\": [5]", "$.stages[0].params.eps[0]")]
    [InlineData("\"betas\": [1.0], \"eps\": [0.1], \"n_lf\": [0]", "$.stages[0].params.n_lf[0]")]
    [InlineData("\"betas\": [1.0], \"eps\": [0.1, 0.2], \"n_lf\": [5]", "$.stages[0].params.eps")]
    public void BadU1InputNamesItsJsonPath(string fields, string path)
    {
        using var ws = new LatticeWorkspace();
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load($$"""
        { "name": "bad", "seed": 1, "stages": [ { "name": "u1", "kind": "u1-hmc", "params": { "l": 4, {{fields}}, "trajectories": 10 } } ] }
        """));
        Assert.Contains(ex.Errors, e => e.Path.StartsWith(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChainBelowAcceptanceFloorStopsTheStageNamingIt()
    {
        using var ws = new LatticeWorkspace();
        var p = ws.Load("""
        { "name": "floor", "seed": 1, "stages": [
          { "name": "hmc", "kind": "phi4-hmc", "params": { "l": 8, "t": 8, "lambda": 0.5, "kappas": [0.2], "n_lf": 4, "eps": 0.9,
            "adapt": false, "acceptance_floor": 0.5, "chains": 2, "burn_in": 10, "trajectories": 100, "trajectories_per_part": 50 } } ] }
        """);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ws.RunAsync(p));
        var root = ex is AggregateException a ? a.GetBaseException() : ex;
        Assert.Contains("chain", root.Message);
        Assert.Contains("acceptance floor", root.Message);
        Assert.Contains("trajectory", root.Message);
    }
}
