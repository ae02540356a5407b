using Boltzmann.Cli;

namespace Boltzmann.Faults.Tests;

/// <summary>The in-process tests change the process environment (BOLTZMANN_*), so they run alone.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// Every malformed input exits 2 before anything runs: the message names the file and the JSON path, and the cache and
/// the artifacts folder are left exactly as they were. Runs boltz in process (the corpus is large; a process per file
/// would cost a minute).
/// </summary>
[Trait("Category", "Faults")]
[Collection(nameof(ProcessEnvironment))]
public sealed class MalformedInputTests : IDisposable
{
    private readonly TempDirectory _root = new("boltz-corpus-");
    private readonly Dictionary<string, string?> _saved = [];

    public MalformedInputTests()
    {
        File.WriteAllText(_root.Combine("Pipeline.sln"), "");
        Directory.CreateDirectory(_root.Combine("pipelines"));
        Directory.CreateDirectory(_root.Combine("inputs"));
        Set("BOLTZMANN_ROOT", _root.Path);
        Set("BOLTZMANN_CACHE", _root.Combine("data"));
        Set("BOLTZMANN_ARTIFACTS", _root.Combine("artifacts"));
        // A cache and an artifacts folder with content, so "unchanged" means something.
        File.WriteAllText(_root.Combine("pipelines", "one.json"),
            """{ "name": "one", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": { "n": 6, "count": 1 } } ] }""");
        var (code, _, err) = Boltz("run", "one", "--profile", "smoke");
        Assert.True(code == 0, err);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(_root.Combine("artifacts", "earlier")).FullName, "figure.png"), "earlier");
    }

    private void Set(string name, string? value)
    {
        if (!_saved.ContainsKey(name)) _saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    private static (int Code, string Out, string Err) Boltz(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = BoltzCommand.MainAsync(args, stdout, stderr).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    private (SortedDictionary<string, string> Cache, SortedDictionary<string, string> Artifacts) State() =>
        (FaultRepo.Tree(_root.Combine("data")), FaultRepo.Tree(_root.Combine("artifacts")));

    /// <summary>What is wrong with how boltz handled the case, or null when it was rejected as required.</summary>
    private string? Rejection(MalformedCase c, string[] args)
    {
        var before = State();
        var (code, stdout, stderr) = Boltz(args);
        var all = stdout + stderr;
        var after = State();
        string? problem =
            code != 2 ? $"exited {code}, not 2" :
            c.ExtraArgs is null && !stderr.Contains(c.PipelineFile, StringComparison.Ordinal) ? $"the message does not name {c.PipelineFile}" :
            !all.Contains(c.ExpectedPath, StringComparison.Ordinal) ? $"the message does not name {c.ExpectedPath}" :
            c.AlsoNamed is not null && !stderr.Contains(c.AlsoNamed, StringComparison.Ordinal) ? $"the message does not name {c.AlsoNamed}" :
            !before.Cache.SequenceEqual(after.Cache) ? "the cache changed" :
            !before.Artifacts.SequenceEqual(after.Artifacts) ? "artifacts/ changed" : null;
        return problem is null ? null : $"{c.Name}: boltz {string.Join(' ', args.Take(1))}: {problem}\n{all.Trim()}";
    }

    [Fact]
    public void Every_malformed_file_of_the_seeded_corpus_exits_2_naming_file_and_path_and_writes_nothing()
    {
        var corpus = MalformedInputCorpus.Generate(_root.Combine("inputs"));
        Assert.True(corpus.Count >= 60, $"the corpus has {corpus.Count} files; at least 60 are required");
        var failures = new List<string>();
        foreach (var c in corpus)
        {
            // validate first: a file it wrongly accepts is not also run (its default profile could take minutes).
            if (c.ExtraArgs is null && Rejection(c, ["validate", c.PipelineFile]) is { } validate) { failures.Add(validate); continue; }
            if (Rejection(c, ["run", c.PipelineFile, "--profile", "default", .. c.ExtraArgs ?? []]) is { } run) failures.Add(run);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} malformed inputs were not rejected as required:\n\n{string.Join("\n\n", failures)}");
    }

    /// <summary>A couplings file that is binary gives a few errors and a count, not one per line.</summary>
    [Fact]
    public void A_binary_couplings_file_gives_a_capped_error_list()
    {
        var corpus = MalformedInputCorpus.Generate(_root.Combine("inputs"));
        var binary = corpus.Single(c => c.Name == "couplings-binary");
        var (code, _, stderr) = Boltz("validate", binary.PipelineFile);
        Assert.Equal(2, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 2, 3 * (Boltzmann.Stages.Sk.Instances.SkInstancesStage.MaxListedFileErrors + 2));
        Assert.Contains("more error(s)", stderr);
    }

    [Fact]
    public void A_bad_environment_is_exit_2_before_anything_runs()
    {
        var before = State();
        Set("BOLTZMANN_TORCH_THREADS", "lots");
        var threads = Boltz("run", "one", "--profile", "smoke", "--force");
        Set("BOLTZMANN_TORCH_THREADS", null);
        Assert.Equal(2, threads.Code);
        Assert.Contains("BOLTZMANN_TORCH_THREADS", threads.Err);

        var file = _root.Combine("cache-is-a-file");
        File.WriteAllText(file, "");
        Set("BOLTZMANN_CACHE", file);
        var cache = Boltz("run", "one", "--profile", "smoke");
        Set("BOLTZMANN_CACHE", _root.Combine("data"));
        Assert.Equal(2, cache.Code);
        Assert.Contains($"'{file}' is a file", cache.Err);

        var after = State();
        Assert.True(before.Cache.SequenceEqual(after.Cache));
        Assert.True(before.Artifacts.SequenceEqual(after.Artifacts));
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        _root.Dispose();
    }
}
