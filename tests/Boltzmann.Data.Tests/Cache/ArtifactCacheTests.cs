using System.Security.Cryptography;
using Boltzmann.Data.Cache;
using static Boltzmann.Data.Tests.Cache.CacheTestSupport;

namespace Boltzmann.Data.Tests.Cache;

public sealed class ArtifactCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ArtifactCache _cache;

    public ArtifactCacheTests() => _cache = new ArtifactCache(_temp.Path);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Empty_cache_misses()
    {
        var lookup = _cache.Lookup(Key());
        Assert.Equal(CacheLookupStatus.Miss, lookup.Status);
        Assert.Null(lookup.Artifact);
        Assert.Contains(Key().Short, lookup.Reason);
    }

    [Fact]
    public void Commit_then_lookup_hits_with_a_complete_manifest()
    {
        var key = Key();
        var before = DateTimeOffset.UtcNow;
        var committed = CommitToy(_cache, key);

        Assert.Equal(Path.Combine(_temp.Path, "toy", key.Short), committed.Directory);
        Assert.False(Directory.Exists(_cache.WorkDirectory(key)));
        var lookup = _cache.Lookup(key);
        Assert.True(lookup.IsHit, lookup.Reason);
        AssertToyContent(lookup.Artifact!, key.Seed);

        var m = lookup.Artifact!.Manifest;
        Assert.Equal(key.Full, m.Key);
        Assert.Equal("toy-stage", m.StageName);
        Assert.Equal("toy", m.Kind);
        Assert.Equal(1, m.Version);
        Assert.Equal(key.CanonicalParameters, m.Parameters);
        Assert.Equal(key.Seed, m.Seed);
        Assert.Equal("test", m.Pipeline);
        Assert.Equal("smoke", m.Profile);
        Assert.Equal("ü", m.Extra["note"]);
        Assert.InRange(m.CreatedUtc, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(m.WallTimeSeconds > 0);
        Assert.Equal(PackageVersions.RuntimeVersion, m.RuntimeVersion);

        // Outputs: every file except scratch and the manifest, sorted, with independently computed hashes.
        Assert.Equal(new[] { "empty.txt", "samples.bin", "tables/summary.csv" }, m.Outputs.Select(o => o.Path));
        foreach (var (path, bytes) in Outputs(key.Seed))
        {
            var o = m.FindOutput(path)!;
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), o.Sha256);
            Assert.Equal(bytes.LongLength, o.Bytes);
            Assert.Equal(path == "tables/summary.csv" ? 1 : null, o.Rows);
        }
        Assert.Equal(m, ArtifactManifestJson.Read(committed.ManifestPath) with { Outputs = m.Outputs, UpstreamKeys = m.UpstreamKeys, PackageVersions = m.PackageVersions, Extra = m.Extra });
    }

    [Fact]
    public void A_flipped_byte_is_corrupt_naming_the_file_and_recomputing_replaces_it()
    {
        var key = Key();
        var artifact = CommitToy(_cache, key);
        var path = artifact.PathOf("samples.bin");
        var bytes = File.ReadAllBytes(path);
        bytes[123_456] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var lookup = _cache.Lookup(key);
        Assert.Equal(CacheLookupStatus.Corrupt, lookup.Status);
        Assert.Null(lookup.Artifact);
        Assert.Contains("samples.bin", lookup.Reason);
        Assert.Contains("SHA-256", lookup.Reason);

        using (var begin = _cache.BeginWrite(key, TimeSpan.FromSeconds(10)))
        {
            Assert.False(begin.AlreadyCommitted);
            Assert.Contains("samples.bin", begin.PreviousProblem);
            WriteOutputs(begin.Session!, key.Seed);
            begin.Session!.Commit(Manifest(key));
        }
        var again = _cache.Lookup(key);
        Assert.True(again.IsHit, again.Reason);
        AssertToyContent(again.Artifact!, key.Seed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_temp.Path, "toy", ".trash")));
    }

    [Fact]
    public void A_deleted_output_is_corrupt_naming_the_file()
    {
        var key = Key();
        File.Delete(CommitToy(_cache, key).PathOf("tables/summary.csv"));
        var lookup = _cache.Lookup(key);
        Assert.Equal(CacheLookupStatus.Corrupt, lookup.Status);
        Assert.Contains("tables/summary.csv", lookup.Reason);
        Assert.Contains("missing", lookup.Reason);
    }

    [Fact]
    public void A_truncated_or_extended_output_is_corrupt_naming_the_file()
    {
        var key = Key();
        var artifact = CommitToy(_cache, key);
        using (var s = new FileStream(artifact.PathOf("samples.bin"), FileMode.Open)) s.SetLength(1000);
        var truncated = _cache.Lookup(key);
        Assert.Equal(CacheLookupStatus.Corrupt, truncated.Status);
        Assert.Contains("samples.bin", truncated.Reason);
        Assert.Contains("1000 bytes", truncated.Reason);

        File.WriteAllText(artifact.PathOf("empty.txt"), "x");
        Assert.Equal(CacheLookupStatus.Corrupt, _cache.Lookup(key).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"format\":\"boltzmann.artifact-manifest/1\",\"key\":")]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("{\"format\":\"boltzmann.artifact-manifest/99\"}")]
    [InlineData("{\"format\":\"boltzmann.artifact-manifest/1\"}")]
    public void An_unreadable_manifest_is_corrupt_not_a_crash(string content)
    {
        var key = Key();
        var artifact = CommitToy(_cache, key);
        File.WriteAllText(artifact.ManifestPath, content);
        var lookup = _cache.Lookup(key);
        Assert.Equal(CacheLookupStatus.Corrupt, lookup.Status);
        Assert.Contains("manifest.json", lookup.Reason);
    }

    [Fact]
    public void A_truncated_manifest_is_corrupt_and_then_recomputed()
    {
        var key = Key();
        var artifact = CommitToy(_cache, key);
        var text = File.ReadAllBytes(artifact.ManifestPath);
        File.WriteAllBytes(artifact.ManifestPath, text[..(text.Length / 2)]);
        Assert.Equal(CacheLookupStatus.Corrupt, _cache.Lookup(key).Status);

        var outcome = _cache.GetOrCompute(key, s =>
        {
            WriteOutputs(s, key.Seed);
            return Manifest(key);
        });
        Assert.True(outcome.Computed);
        Assert.NotNull(outcome.Warning);
        Assert.True(_cache.Lookup(key).IsHit);
    }

    [Fact]
    public void A_missing_manifest_is_corrupt()
    {
        var key = Key();
        File.Delete(CommitToy(_cache, key).ManifestPath);
        var lookup = _cache.Lookup(key);
        Assert.Equal(CacheLookupStatus.Corrupt, lookup.Status);
        Assert.Contains("manifest.json is missing", lookup.Reason);
    }

    [Fact]
    public void A_manifest_whose_recorded_inputs_were_edited_is_corrupt()
    {
        var key = Key();
        var artifact = CommitToy(_cache, key);
        var text = File.ReadAllText(artifact.ManifestPath);
        Assert.Contains("\"beta\":0.5", text);
        File.WriteAllText(artifact.ManifestPath, text.Replace("\"beta\":0.5", "\"beta\":0.6"));
        var lookup = _cache.Lookup(key);
        Assert.Equal(CacheLookupStatus.Corrupt, lookup.Status);
        Assert.Contains("hash to", lookup.Reason);
    }

    [Fact]
    public void A_manifest_of_another_key_is_corrupt()
    {
        var key = Key(seed: 1);
        var other = Key(seed: 2);
        var a = CommitToy(_cache, key);
        var b = CommitToy(_cache, other);
        File.Copy(b.ManifestPath, a.ManifestPath, overwrite: true);
        var lookup = _cache.Lookup(key);
        Assert.Equal(CacheLookupStatus.Corrupt, lookup.Status);
        Assert.Contains(other.Full, lookup.Reason);
    }

    [Fact]
    public void A_manifest_pointing_outside_the_artifact_is_corrupt()
    {
        var key = Key();
        var artifact = CommitToy(_cache, key);
        File.WriteAllText(artifact.ManifestPath, File.ReadAllText(artifact.ManifestPath).Replace("\"path\": \"empty.txt\"", "\"path\": \"../../x\""));
        var lookup = _cache.Lookup(key);
        Assert.Equal(CacheLookupStatus.Corrupt, lookup.Status);
        Assert.Contains("'..'", lookup.Reason);
    }

    [Fact]
    public void Force_recomputes_over_a_valid_artifact()
    {
        var key = Key();
        CommitToy(_cache, key);
        using (var begin = _cache.BeginWrite(key, TimeSpan.FromSeconds(10), force: true))
        {
            Assert.False(begin.AlreadyCommitted);
            Assert.False(begin.Session!.Resumed);
            File.WriteAllText(begin.Session.GetOutputPath("other.txt"), "new");
            begin.Session.Commit(Manifest(key));
        }
        var lookup = _cache.Lookup(key);
        Assert.True(lookup.IsHit);
        Assert.Equal(new[] { "other.txt" }, lookup.Artifact!.Manifest.Outputs.Select(o => o.Path));
        Assert.Equal("new", File.ReadAllText(lookup.Artifact.PathOf("other.txt")));
    }

    [Fact]
    public void Get_or_compute_runs_once_then_hits()
    {
        var key = Key();
        var runs = 0;
        ArtifactManifest Stage(ArtifactWriteSession s)
        {
            runs++;
            WriteOutputs(s, key.Seed);
            return Manifest(key);
        }
        Assert.True(_cache.GetOrCompute(key, Stage).Computed);
        var second = _cache.GetOrCompute(key, Stage);
        Assert.False(second.Computed);
        Assert.Equal(1, runs);
        AssertToyContent(second.Artifact, key.Seed);
        Assert.True(_cache.GetOrCompute(key, Stage, new CacheRunOptions(Force: true)).Computed);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void Commit_rejects_inconsistent_manifests_and_reserved_paths()
    {
        var key = Key();
        using var begin = _cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        var s = begin.Session!;
        Assert.Throws<ArgumentException>(() => s.GetOutputPath("manifest.json"));
        Assert.Throws<ArgumentException>(() => s.GetOutputPath(".scratch/x"));
        Assert.Throws<ArgumentException>(() => s.GetOutputPath("../escape"));
        Assert.Throws<ArgumentException>(() => s.GetOutputPath("/abs"));
        File.WriteAllText(s.GetOutputPath("a.txt"), "a");
        Assert.Throws<ArgumentException>(() => s.Commit(Manifest(key) with { Seed = key.Seed + 1 }));
        Assert.Throws<ArgumentException>(() => s.Commit(Manifest(key) with { Kind = "other" }));
        Assert.Throws<ArgumentException>(() => s.Commit(Manifest(key) with { StageName = "" }));
        Assert.Throws<ArgumentException>(() => s.Commit(Manifest(key) with { Outputs = [new ArtifactOutput("a.txt", new string('0', 64), 1, null)] }));
        s.RecordRows("nope.csv", 3);
        Assert.Throws<InvalidOperationException>(() => s.Commit(Manifest(key)));
        Assert.Equal(CacheLookupStatus.Miss, _cache.Lookup(key).Status);
    }

    [Fact]
    public void Symbolic_links_in_outputs_are_refused()
    {
        var key = Key();
        using var begin = _cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        var s = begin.Session!;
        var target = Path.Combine(_temp.Path, "outside.txt");
        File.WriteAllText(target, "x");
        File.CreateSymbolicLink(s.GetOutputPath("link.txt"), target);
        var e = Assert.Throws<InvalidOperationException>(() => s.Commit(Manifest(key)));
        Assert.Contains("link.txt", e.Message);
    }
}
