using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Instances;

namespace Boltzmann.Stages.Sk.Tests;

public class PipelineValidationTests
{
    private static IReadOnlyList<ConfigError> Errors(string json, string profile = "default")
    {
        using var ws = new TestWorkspace();
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load(json, profile));
        return ex.Errors;
    }

    private static string WithPt(string ptParams) => $$"""
    { "name": "p", "seed": 1, "stages": [
        { "name": "inst", "kind": "sk-instances", "params": { "n": 8 } },
        { "name": "pt", "kind": "sk-pt", "upstream": { "instances": "inst" }, "params": {{ptParams}} } ] }
    """;

    [Fact]
    public void ValidPipelineResolvesInDependencyOrderWithProfileOverrides()
    {
        using var ws = new TestWorkspace();
        var p = ws.Load(TestWorkspace.SmallSk);
        Assert.Equal(["instances", "exact", "pt", "observables", "figures"], p.Stages.Select(s => s.Name));
        var json = """
        { "name": "p", "seed": 1, "stages": [ { "name": "inst", "kind": "sk-instances", "params": { "n": 64 }, "profiles": { "smoke": { "n": 12 } } } ] }
        """;
        Assert.Equal(12, ((SkInstancesParameters)ws.Load(json, "smoke").Stages[0].Parameters).N);
        Assert.Equal(64, ((SkInstancesParameters)ws.Load(json, "default").Stages[0].Parameters).N);
    }

    [Fact]
    public void UnknownKeyIsNamedWithItsPathAndTheAllowedKeys()
    {
        var e = Assert.Single(Errors(WithPt("""{ "ladder": { "tmin": 0.5, "tmax": 2, "count": 4 }, "burn_in": 10, "samples": 100, "samplez": 5 }""")));
        Assert.Equal("$.stages[1].params.samplez", e.Path);
        Assert.Contains("unknown key \"samplez\"", e.Message);
        Assert.Contains("samples", e.Message);
    }

    [Fact]
    public void WrongTypesAndOutOfRangeValuesNameThePathTheValueAndWhatIsAllowed()
    {
        var errors = Errors(WithPt("""{ "ladder": { "tmin": -1, "tmax": 2, "count": 0 }, "burn_in": "ten", "samples": 0 }"""));
        Assert.Contains(errors, e => e.Path == "$.stages[1].params.ladder.tmin" && e.Message.Contains("-1") && e.Message.Contains(">= 0.001"));
        Assert.Contains(errors, e => e.Path == "$.stages[1].params.ladder.count" && e.Message.Contains("value 0") && e.Message.Contains(">= 1"));
        Assert.Contains(errors, e => e.Path == "$.stages[1].params.burn_in" && e.Message.Contains("\"ten\"") && e.Message.Contains("integer"));
        Assert.Contains(errors, e => e.Path == "$.stages[1].params.samples" && e.Message.Contains(">= 1"));
        Assert.True(errors.Count >= 4, "every error is reported, not just the first");
    }

    [Fact]
    public void NonPositiveSizeAndEmptyLadderAreRejected()
    {
        var n0 = Errors("""{ "name": "p", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": { "n": 0 } } ] }""");
        Assert.Contains(n0, e => e.Path == "$.stages[0].params.n" && e.Message.Contains("value 0 is not allowed"));
        var empty = Errors(WithPt("""{ "ladder": { "temperatures": [] }, "burn_in": 1, "samples": 10 }"""));
        Assert.Contains(empty, e => e.Path == "$.stages[1].params.ladder.temperatures" && e.Message.Contains("empty"));
        var negT = Errors(WithPt("""{ "ladder": { "temperatures": [1.0, -0.5] }, "burn_in": 1, "samples": 10 }"""));
        Assert.Contains(negT, e => e.Path == "$.stages[1].params.ladder.temperatures[1]" && e.Message.Contains("-0.5"));
    }

    [Fact]
    public void BatchLargerThanTheDataIsRejected()
    {
        var e = Errors(WithPt("""{ "ladder": { "tmin": 0.5, "tmax": 2, "count": 4 }, "burn_in": 1, "samples": 100, "samples_per_part": 500 }"""));
        Assert.Contains(e, x => x.Path == "$.stages[1].params.samples_per_part" && x.Message.Contains("larger than the data"));
        using var ws = new TestWorkspace();
        var json = TestWorkspace.SmallSk.Replace("\"blocks\": 20", "\"blocks\": 5000");
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load(json));
        Assert.Contains(ex.Errors, x => x.Path == "$.stages[3].params.blocks" && x.Message.Contains("samples = 3000"));
    }

    [Fact]
    public void MissingUpstreamUnknownKindAndCyclesAreReported()
    {
        var missing = Errors("""{ "name": "p", "seed": 1, "stages": [ { "name": "pt", "kind": "sk-pt", "upstream": { "instances": "nope" }, "params": {} } ] }""");
        Assert.Contains(missing, e => e.Path == "$.stages[0].upstream.instances" && e.Message.Contains("missing upstream") && e.Message.Contains("nope"));
        var absent = Errors("""{ "name": "p", "seed": 1, "stages": [ { "name": "pt", "kind": "sk-pt", "params": {} } ] }""");
        Assert.Contains(absent, e => e.Path == "$.stages[0].upstream.instances" && e.Message.Contains("requires input"));
        var kind = Errors("""{ "name": "p", "seed": 1, "stages": [ { "name": "x", "kind": "sk-magic", "params": {} } ] }""");
        Assert.Contains(kind, e => e.Path == "$.stages[0].kind" && e.Message.Contains("known kinds") && e.Message.Contains("sk-pt"));
        var cycle = Errors("""
        { "name": "p", "seed": 1, "stages": [
          { "name": "a", "kind": "sk-pt-observables", "upstream": { "samples": "b" }, "params": {} },
          { "name": "b", "kind": "sk-pt-observables", "upstream": { "samples": "a" }, "params": {} } ] }
        """);
        Assert.Contains(cycle, e => e.Message.Contains("kind \"sk-pt-observables\"") || e.Message.Contains("cycle"));
    }

    [Fact]
    public void InvalidCouplingsFileIsAConfigurationErrorNamingTheFileAndLine()
    {
        using var ws = new TestWorkspace();
        Directory.CreateDirectory(Path.Combine(ws.Root, "pipelines"));
        File.WriteAllText(Path.Combine(ws.Root, "pipelines", "bad.csv"), "0, 0.5, 1\n0.5, 0, 2\n1, 2.5, 0\n");
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load("""
        { "name": "p", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": { "couplings_file": "bad.csv" } } ] }
        """));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("$.stages[0].params.couplings_file", e.Path);
        Assert.Contains("bad.csv", e.Message);
        Assert.Contains("symmetric", e.Message);
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(65_536)]
    public void AnNTooLargeForTheDenseCouplingsIsRejectedByValidation(int n)
    {
        using var ws = new TestWorkspace();
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load($$"""
        { "name": "p", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": { "n": {{n}} } } ] }
        """));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("$.stages[0].params.n", e.Path);
        Assert.Contains($"value {n} is not allowed", e.Message);
        Assert.Contains(Boltzmann.Physics.Sk.SkInstance.MaxN.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void ValidCouplingsFileIsLoadedAndItsHashEntersTheKey()
    {
        using var ws = new TestWorkspace();
        Directory.CreateDirectory(Path.Combine(ws.Root, "pipelines"));
        var file = Path.Combine(ws.Root, "pipelines", "j.csv");
        File.WriteAllText(file, "0, 0.5, 1\n0.5, 0, 2\n1, 2, 0\n");
        const string json = """{ "name": "p", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": { "couplings_file": "j.csv" } } ] }""";
        var k1 = PipelinePlan.Keys(ws.Load(json))["i"];
        File.WriteAllText(file, "0, 0.5, 1\n0.5, 0, 2.5\n1, 2.5, 0\n");
        var k2 = PipelinePlan.Keys(ws.Load(json))["i"];
        Assert.NotEqual(k1.Full, k2.Full);
        Assert.Equal(3, ((SkInstancesParameters)ws.Load(json).Stages[0].Parameters).N);
    }

    [Fact]
    public void KeysIgnoreFormattingAndDefaultsButFollowEveryParameter()
    {
        using var ws = new TestWorkspace();
        string Pt(string extra) => WithPt($$"""{ "ladder": { "tmin": 0.5, "tmax": 2.0, "count": 4 }, "burn_in": 10, "samples": 100{{extra}} }""");
        var baseKey = PipelinePlan.Keys(ws.Load(Pt("")))["pt"].Full;
        Assert.Equal(baseKey, PipelinePlan.Keys(ws.Load(Pt(", \"chains\": 2, \"thin\": 1")))["pt"].Full); // explicit defaults
        Assert.Equal(baseKey, PipelinePlan.Keys(ws.Load(Pt(", \"threads\": 1")))["pt"].Full);            // threads do not change results
        Assert.NotEqual(baseKey, PipelinePlan.Keys(ws.Load(Pt(", \"thin\": 2")))["pt"].Full);
        var upstreamChanged = WithPt("""{ "ladder": { "tmin": 0.5, "tmax": 2.0, "count": 4 }, "burn_in": 10, "samples": 100 }""").Replace("\"n\": 8", "\"n\": 9");
        Assert.NotEqual(baseKey, PipelinePlan.Keys(ws.Load(upstreamChanged))["pt"].Full);
    }
}
