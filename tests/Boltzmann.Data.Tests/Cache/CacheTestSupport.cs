using System.Text.Json.Nodes;
using Boltzmann.Data.Cache;

namespace Boltzmann.Data.Tests.Cache;

/// <summary>Keys and a toy stage for the cache tests.</summary>
internal static class CacheTestSupport
{
    public static CacheKey Key(string kind = "toy", ulong seed = 7, double beta = 0.5)
        => CacheKey.Compute(kind, 1, new JsonObject { ["beta"] = beta, ["n"] = 3 }, seed, new Dictionary<string, string>());

    /// <summary>The deterministic outputs of the toy stage for a given seed.</summary>
    public static IReadOnlyDictionary<string, byte[]> Outputs(ulong seed)
    {
        var rng = new System.Random((int)seed);
        var big = new byte[300_000];
        rng.NextBytes(big);
        return new Dictionary<string, byte[]>
        {
            ["samples.bin"] = big,
            ["tables/summary.csv"] = System.Text.Encoding.UTF8.GetBytes($"beta,energy\n0.5,{seed}\n"),
            ["empty.txt"] = [],
        };
    }

    /// <summary>Writes the toy outputs (and a checkpoint in scratch) into a session.</summary>
    public static void WriteOutputs(ArtifactWriteSession session, ulong seed)
    {
        foreach (var (path, bytes) in Outputs(seed)) File.WriteAllBytes(session.GetOutputPath(path), bytes);
        File.WriteAllText(session.GetScratchPath("checkpoint.json"), "{\"sweep\":100}");
        session.RecordRows("tables/summary.csv", 1);
    }

    public static ArtifactManifest Manifest(CacheKey key) => ArtifactManifest.ForKey(key, "toy-stage") with
    {
        Pipeline = "test",
        Profile = "smoke",
        ToolVersion = "0.0-test",
        Extra = new Dictionary<string, string> { ["note"] = "ü" },
    };

    /// <summary>Runs the toy stage to completion.</summary>
    public static Artifact CommitToy(ArtifactCache cache, CacheKey key)
    {
        using var begin = cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        Assert.False(begin.AlreadyCommitted);
        WriteOutputs(begin.Session!, key.Seed);
        return begin.Session!.Commit(Manifest(key));
    }

    /// <summary>Asserts that the artifact holds exactly the toy outputs of its seed.</summary>
    public static void AssertToyContent(Artifact artifact, ulong seed)
    {
        foreach (var (path, bytes) in Outputs(seed))
            Assert.Equal(bytes, File.ReadAllBytes(artifact.PathOf(path)));
        Assert.False(Directory.Exists(Path.Combine(artifact.Directory, ArtifactCache.ScratchDirectoryName)));
    }
}
