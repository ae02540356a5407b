namespace Boltzmann.Cli.Tests;

public class CliTests
{
    private const string Invalid = """
    { "name": "broken", "seed": 1, "stages": [
      { "name": "inst", "kind": "sk-instances", "params": { "n": 0, "colour": "red" } },
      { "name": "pt", "kind": "sk-pt", "upstream": { "instances": "missing" }, "params": { "ladder": { "temperatures": [] }, "burn_in": 1, "samples": 5 } } ] }
    """;

    [Fact]
    public void SmokeRunThenFullyCachedRerunAndStatus()
    {
        using var b = new Boltz();
        b.CopyRepoPipeline("sk-pt");
        var first = b.Run("run", "sk-pt", "--profile", "smoke");
        Assert.True(first.Code == 0, first.Err + first.Out);
        Assert.Contains("9 computed", first.Out);
        Assert.True(File.Exists(Path.Combine(b.Artifacts, "index.html")));
        Assert.True(File.Exists(Path.Combine(b.Artifacts, "sk-pt", "small-figures", "sk-thermodynamics.png")));
        Assert.Contains("sweeps/s", first.Out); // plain progress lines with rate when not a terminal

        var second = b.Run("run", "sk-pt", "--profile", "smoke");
        Assert.Equal(0, second.Code);
        Assert.Contains("9 cached, 0 computed", second.Out);

        var status = b.Run("status", "sk-pt", "--profile", "smoke");
        Assert.Equal(0, status.Code);
        Assert.Equal(9, status.Out.Split('\n').Count(l => l.Contains(" cached ")));
        var other = b.Run("status", "sk-pt", "--profile", "default");
        Assert.Contains("missing", other.Out);
    }

    /// <summary>
    /// The repository's learned-sampler pipelines, smoke profile, through the real CLI: every stage runs (training,
    /// evaluation, figures), every paper figure is published with values that pass the physics checks of
    /// <see cref="PublishedFigureValues"/>, and a rerun is fully cached.
    /// </summary>
    [Theory]
    [InlineData("sk-flow", new[] { "small-figures/hartnett-fig2", "small-figures/hartnett-fig3", "small-figures/hartnett-fig4", "small-figures/hartnett-fig5",
                                   "small-figures/hartnett-fig6", "small-figures/hartnett-fig7", "small-figures/sk-flow-online-vs-fixed",
                                   "large-figures/hartnett-fig4", "large-figures/sk-flow-mode-collapse" })]
    [InlineData("cw-arnn", new[] { "figures/biazzo-fig4" })]
    [InlineData("sk-arnn", new[] { "figures/biazzo-fig5", "likelihood-figures/biazzo-fig6" })]
    [InlineData("l2hmc", new[] { "l2hmc-figures-8/foreman-fig3", "l2hmc-figures-8/foreman-fig4", "l2hmc-figures-8/foreman-fig5" })]
    [InlineData("neuralrg", new[] { "neuralrg-figures/li-wang-fig3", "neuralrg-figures/li-wang-fig4", "neuralrg-figures/li-wang-lnz" })]
    [InlineData("phi4-nis", new[] { "figures/figures-free-energy", "figures/figures-mode-dropping", "figures/figures-time-to-error", "figures/figures-gradients", "ising-figures/ising-nis" })]
    public void LearnedPipelineSmokeProfilePublishesEveryFigureAndRerunsFromTheCache(string pipeline, string[] figures)
    {
        using var b = new Boltz();
        b.CopyRepoPipeline(pipeline);
        var first = b.Run("run", pipeline, "--profile", "smoke");
        Assert.True(first.Code == 0, first.Err + first.Out);
        foreach (var f in figures)
            foreach (var ext in new[] { ".png", ".parquet", ".csv", ".json" })
                Assert.True(File.Exists(Path.Combine(b.Artifacts, pipeline, f + ext)), $"missing {pipeline}/{f}{ext}");
        PublishedFigureValues.Check(pipeline, b.Artifacts);
        var second = b.Run("run", pipeline, "--profile", "smoke");
        Assert.Equal(0, second.Code);
        Assert.Contains(" 0 computed", second.Out);
    }

    [Fact]
    public void PipelineBenchmarkTimesAColdAndAFullyCachedRunInAPrivateCache()
    {
        using var b = new Boltz();
        b.CopyRepoPipeline("sk-pt");
        var r = b.Run("bench", "--pipeline", "sk-pt", "--profile", "smoke");
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Matches(@"bench pipeline\.sk-pt\[smoke\] end_to_end_seconds [0-9.]+ \(9 stages from an empty cache\); repeat [0-9.]+ s \(9/9 cached\)", r.Out);
        // The benchmark must neither use nor fill the repository's cache and artifacts.
        Assert.False(Directory.Exists(b.Cache) && Directory.EnumerateFileSystemEntries(b.Cache).Any());
        Assert.False(Directory.Exists(b.Artifacts) && Directory.EnumerateFileSystemEntries(b.Artifacts).Any());
    }

    [Fact]
    public void InvalidPipelineExitsTwoWithPathNamedErrorsAndWritesNothing()
    {
        using var b = new Boltz();
        b.WritePipeline("broken", Invalid);
        var r = b.Run("run", "broken", "--profile", "smoke");
        Assert.Equal(2, r.Code);
        Assert.Contains("$.stages[0].params.n: value 0 is not allowed", r.Err);
        Assert.Contains("$.stages[0].params.colour: unknown key", r.Err);
        Assert.Contains("$.stages[1].upstream.instances: missing upstream", r.Err);
        Assert.False(Directory.Exists(b.Cache), "nothing may be written for an invalid pipeline");
        var v = b.Run("validate", "broken");
        Assert.Equal(2, v.Code);
        Assert.Contains("[smoke]", v.Err);
    }

    [Theory]
    [InlineData("\"sizes\": [6]", "$.stages[0].params.sizes[0]")]
    [InlineData("\"sizes\": [4], \"beta\": -0.4", "$.stages[0].params.beta")]
    public void BadNeuralRgInputExitsTwoNamingTheJsonPath(string fields, string path)
    {
        using var b = new Boltz();
        b.WritePipeline("rg", $$"""{ "name": "rg", "seed": 1, "stages": [ { "name": "f", "kind": "neuralrg-train", "params": { {{fields}} } } ] }""");
        var r = b.Run("run", "rg", "--profile", "smoke");
        Assert.Equal(2, r.Code);
        Assert.Contains(path, r.Err);
        Assert.False(Directory.Exists(b.Cache), "nothing may be written for an invalid pipeline");
    }

    [Fact]
    public void BadCouplingsFileExitsTwoNamingTheFile()
    {
        using var b = new Boltz();
        File.WriteAllText(Path.Combine(b.Root, "pipelines", "j.csv"), "0, 1\n1, 0, 5\n");
        b.WritePipeline("loaded", """{ "name": "loaded", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": { "couplings_file": "j.csv" } } ] }""");
        var r = b.Run("validate", "loaded", "--profile", "smoke");
        Assert.Equal(2, r.Code);
        Assert.Contains("j.csv", r.Err);
        Assert.Contains("line 2", r.Err);
    }

    [Fact]
    public void UsageErrorsExitTwo()
    {
        using var b = new Boltz();
        Assert.Equal(2, b.Run("run", "sk-pt", "--frobnicate").Code);
        Assert.Equal(2, b.Run("teleport").Code);
        var r = b.Run("run", "nope");
        Assert.Equal(2, r.Code);
        Assert.Contains("unknown pipeline", r.Err);
        Assert.Equal(2, b.Run("run", "nope", "--profile", "huge").Code);
    }

    /// <summary>The cluster pattern: one process per unit (array tasks), then one plain run that only gathers.</summary>
    [Fact]
    public void ShardsRunAsSeparateProcessesThenAPlainRunOnlyGathers()
    {
        using var b = new Boltz();
        b.CopyRepoPipeline("phi4-hmc");
        Assert.Contains("units: 0/5 cached", b.Run("status", "phi4-hmc", "--profile", "smoke").Out);
        for (var k = 0; k < 5; k++)
        {
            var shard = b.Run("run", "phi4-hmc", "--profile", "smoke", "--stage", "phi4", "--shard", k.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(shard.Code == 0, shard.Err + shard.Out);
            Assert.Contains($"phi4[kappa-{k:D3}]", shard.Out);
            Assert.Contains("0 cached, 1 computed", shard.Out);
        }
        Assert.False(Directory.Exists(Path.Combine(b.Artifacts, "phi4-hmc")), "a unit run publishes nothing");
        var status = b.Run("status", "phi4-hmc", "--profile", "smoke");
        Assert.Contains("units: 5/5 cached", status.Out);

        var gather = b.Run("run", "phi4-hmc", "--profile", "smoke", "--stage", "phi4");
        Assert.True(gather.Code == 0, gather.Err + gather.Out);
        Assert.Contains("units: 5 cached, 0 computed", gather.Out);
        Assert.Contains("phi4: 5 unit(s): 5 cached, 0 computed; gathering", gather.Out + gather.Err);
    }

    [Fact]
    public void AnInvalidShardSelectionExitsTwoBeforeRunningAnything()
    {
        using var b = new Boltz();
        b.CopyRepoPipeline("sk-pt");
        foreach (var (args, message) in new[]
                 {
                     (new[] { "--shard", "0" }, "exactly one --stage"),
                     (new[] { "--stage", "small-pt", "--stage", "small-instances", "--shard", "0" }, "exactly one --stage"),
                     (new[] { "--stage", "small-instances", "--shard", "0" }, "is not sharded"),
                     (new[] { "--stage", "small-pt", "--shard", "0", "--until", "generate" }, "--until"),
                 })
        {
            var r = b.Run(["run", "sk-pt", "--profile", "smoke", .. args]);
            Assert.True(r.Code == 2, $"{string.Join(' ', args)}: exit {r.Code}\n{r.Out}{r.Err}");
            Assert.Contains(message, r.Err);
        }
        Assert.Equal(2, b.Run("run", "all", "--stage", "small-pt", "--shard", "0").Code);
        Assert.False(Directory.Exists(b.Cache), "nothing may run for an invalid shard selection");
    }

    [Fact]
    public void EveryCommandHasHelpTyposGetSuggestionsAndPipelinesComplete()
    {
        using var b = new Boltz();
        b.CopyRepoPipeline("sk-pt");
        foreach (var command in new[] { "run", "list", "status", "validate", "clean", "bench", "doctor" })
        {
            var help = b.Run(command, "--help");
            Assert.True(help.Code == 0, help.Err);
            Assert.Contains($"boltz {command}", help.Out);
        }
        Assert.Contains("--until", b.Run("help", "run").Out);

        var typo = b.Run("statsu", "sk-pt");
        Assert.Equal(2, typo.Code);
        Assert.Contains("Did you mean", typo.Out + typo.Err);
        Assert.Contains("status", typo.Out + typo.Err);
        var option = b.Run("run", "sk-pt", "--profil", "smoke");
        Assert.Equal(2, option.Code);
        Assert.Contains("--profile", option.Out + option.Err);

        // The [suggest] directive is what shell completion (dotnet-suggest) calls: the cursor sits after "run s".
        var complete = b.Run("[suggest:5]", "run s");
        Assert.Equal(0, complete.Code);
        Assert.Contains("sk-pt", complete.Out.Split('\n', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void ListAndDoctorWork()
    {
        using var b = new Boltz();
        b.CopyRepoPipeline("sk-pt");
        var list = b.Run("list");
        Assert.Equal(0, list.Code);
        Assert.Contains("large-pt", list.Out);
        Assert.Contains("sk-exact", list.Out);
        var doctor = b.Run("doctor");
        Assert.True(doctor.Code == 0, doctor.Out + doctor.Err);
        Assert.Contains("autograd smoke test", doctor.Out);
    }
}
