using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Nis.Tests;

/// <summary>
/// Bad input to the NIS stages is refused at configuration time (exit 2 in the CLI, nothing run or written): lattice
/// shapes the checkerboard flow cannot take, and an HMC dataset whose lattice, lambda or kappa grid differ from the
/// flows' target, each message naming both values.
/// </summary>
public class NisValidationTests
{
    private const string Good = """
    { "name": "nis", "seed": 1, "stages": [
      { "name": "hmc", "kind": "phi4-hmc", "params": { "l": 8, "t": 4, "lambda": 0.022, "kappas": [0.0, 0.2, 0.3], "n_lf": 4, "eps": 0.2, "trajectories": 20, "burn_in": 5 } },
      { "name": "train", "kind": "phi4-nis-train", "upstream": { "samples": "hmc" },
        "params": { "l": 8, "t": 4, "lambda": 0.022, "kappas": [0.2, 0.3], "objective": "forward", "couplings": 2, "steps": 2, "batch": 8 } },
      { "name": "eval", "kind": "phi4-nis-evaluate", "upstream": { "flows": "train", "samples": "hmc" }, "params": { "samples": 64, "batch": 32 } } ] }
    """;

    [Fact]
    public void GoodInputLoads()
    {
        using var ws = new NisWorkspace();
        Assert.Equal(3, ws.Load(Good).Stages.Count);
    }

    [Theory]
    [InlineData("\"l\": 8, \"t\": 4, \"lambda\": 0.022, \"kappas\": [0.2", "\"l\": 7, \"t\": 4, \"lambda\": 0.022, \"kappas\": [0.2", "$.stages[1].params.l", "7 x 4 has an odd side")]
    [InlineData("\"l\": 8, \"t\": 4, \"lambda\": 0.022, \"kappas\": [0.2", "\"l\": 8, \"t\": 3, \"lambda\": 0.022, \"kappas\": [0.2", "$.stages[1].params.l", "8 x 3 has an odd side")]
    [InlineData("\"lambda\": 0.022, \"kappas\": [0.2, 0.3]", "\"lambda\": 0.02, \"kappas\": [0.2, 0.3]", "$.stages[1].params.samples", "lambda = 0.022 but the flows' target has lambda = 0.02")]
    [InlineData("\"kappas\": [0.2, 0.3], \"objective\"", "\"kappas\": [0.2, 0.25], \"objective\"", "$.stages[1].params.samples", "flow kappa = 0.25 is not on the kappa grid of upstream \"hmc\" (0, 0.2, 0.3)")]
    [InlineData("\"l\": 8, \"t\": 4, \"lambda\": 0.022, \"kappas\": [0.2", "\"l\": 16, \"t\": 4, \"lambda\": 0.022, \"kappas\": [0.2", "$.stages[1].params.samples", "lattice 8 x 4 but the flows' target is 16 x 4")]
    [InlineData("\"objective\": \"forward\"", "\"objective\": \"sideways\"", "$.stages[1].params.objective", "")]
    public void BadInputNamesItsJsonPathAndBothValues(string find, string replace, string path, string message)
    {
        using var ws = new NisWorkspace();
        Assert.Contains(find, Good);
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load(Good.Replace(find, replace)));
        Assert.Contains(ex.Errors, e => e.Path.StartsWith(path, StringComparison.Ordinal) && e.ToString().Contains(message, StringComparison.Ordinal));
        Assert.False(Directory.Exists(ws.Cache));
    }

    [Fact]
    public void ForwardKlWithoutHmcSamplesIsRefused()
    {
        using var ws = new NisWorkspace();
        var json = """
        { "name": "nis", "seed": 1, "stages": [
          { "name": "train", "kind": "phi4-nis-train", "params": { "l": 8, "t": 4, "lambda": 0.022, "kappas": [0.2], "objective": "forward" } } ] }
        """;
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load(json));
        Assert.Contains(ex.Errors, e => e.Path.StartsWith("$.stages[0].params.samples", StringComparison.Ordinal));
    }
}
