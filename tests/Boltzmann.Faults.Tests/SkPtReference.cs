namespace Boltzmann.Faults.Tests;

/// <summary>One uninterrupted smoke run of the repository's sk-pt pipeline: what every killed-and-resumed run must equal.</summary>
public sealed class SkPtReference : IDisposable
{
    public const string Pipeline = "sk-pt";

    private readonly FaultRepo _repo = new();

    public SkPtReference()
    {
        _repo.CopyRepoPipeline(Pipeline);
        var run = _repo.Run("run", Pipeline, "--profile", "smoke");
        if (run.Code != 0) throw new InvalidOperationException($"reference run failed ({run.Code}):\n{run.Out}\n{run.Err}");
        CacheOutputs = FaultRepo.Outputs(_repo.Cache);
        Published = FaultRepo.Outputs(_repo.Artifacts);
    }

    /// <summary>Every committed output file of the cache (manifests, locks and trash left out) and its SHA-256.</summary>
    public SortedDictionary<string, string> CacheOutputs { get; }

    /// <summary>Every file under artifacts/ and its SHA-256.</summary>
    public SortedDictionary<string, string> Published { get; }

    public void AssertSameAs(FaultRepo repo)
    {
        var cache = FaultRepo.Outputs(repo.Cache);
        Assert.Equal(CacheOutputs.Keys, cache.Keys);
        foreach (var (path, hash) in CacheOutputs) Assert.True(hash == cache[path], $"cache output {path} differs from the uninterrupted run");
        var published = FaultRepo.Outputs(repo.Artifacts);
        Assert.Equal(Published.Keys, published.Keys);
        foreach (var (path, hash) in Published) Assert.True(hash == published[path], $"published {path} differs from the uninterrupted run");
    }

    public void Dispose() => _repo.Dispose();
}
