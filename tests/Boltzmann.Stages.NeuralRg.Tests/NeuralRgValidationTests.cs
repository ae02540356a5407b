using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.NeuralRg.Tests;

/// <summary>Bad NeuralRG input names its JSON path (the CLI exits 2 on these, nothing written); every profile of the repository pipeline loads.</summary>
public class NeuralRgValidationTests
{
    private const string Pipeline = """
    { "name": "bad", "seed": 1, "stages": [
      { "name": "flows", "kind": "neuralrg-train", "params": { "sizes": [4, 8], "beta": 0.44, "epochs": 10 } },
      { "name": "eval", "kind": "neuralrg-evaluate", "upstream": { "models": "flows" }, "params": { "interpret_size": 8 } },
      { "name": "figs", "kind": "neuralrg-figures", "upstream": { "models": "flows", "evaluation": "eval" }, "params": {} } ] }
    """;

    [Theory]
    [InlineData("[4, 8]", "[4, 6]", "$.stages[0].params.sizes[1]")]   // not a power of two
    [InlineData("[4, 8]", "[3, 8]", "$.stages[0].params.sizes[0]")]   // odd
    [InlineData("[4, 8]", "[4, 1]", "$.stages[0].params.sizes[1]")]   // below 2
    [InlineData("[4, 8]", "[4, 4]", "$.stages[0].params.sizes")]      // duplicate
    [InlineData("\"beta\": 0.44", "\"beta\": 0", "$.stages[0].params.beta")]
    [InlineData("\"beta\": 0.44", "\"beta\": -0.3", "$.stages[0].params.beta")]
    [InlineData("\"epochs\": 10", "\"epochs\": 0", "$.stages[0].params.epochs")]
    [InlineData("\"epochs\": 10", "\"epochs\": 10, \"schedule\": \"linear\"", "$.stages[0].params.schedule")]
    [InlineData("\"interpret_size\": 8", "\"interpret_size\": 16", "$.stages[1].params.interpret_size")]
    public void Bad_input_names_its_json_path(string find, string replace, string path)
    {
        using var ws = new NeuralRgWorkspace();
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load(Pipeline.Replace(find, replace)));
        Assert.Contains(ex.Errors, e => e.Path.StartsWith(path, StringComparison.Ordinal));
        Assert.False(Directory.Exists(ws.Cache));
    }

    [Fact]
    public void Good_input_loads()
    {
        using var ws = new NeuralRgWorkspace();
        Assert.Equal(3, ws.Load(Pipeline).Stages.Count);
    }

    [Theory]
    [InlineData("smoke")]
    [InlineData("default")]
    [InlineData("paper")]
    public void Repository_pipeline_loads_in_every_profile(string profile)
    {
        var p = new PipelineLoader(NeuralRgWorkspace.Registry()).LoadFile(RepoPipelines.File("neuralrg"), profile);
        Assert.Equal(3, p.Stages.Count);
    }
}
