using Boltzmann.Data.Cache;
using static Boltzmann.Data.Tests.Cache.CacheTestSupport;

namespace Boltzmann.Data.Tests.Cache;

public sealed class CacheMaintenanceTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ArtifactCache _cache;

    public CacheMaintenanceTests() => _cache = new ArtifactCache(_temp.Path);

    public void Dispose() => _temp.Dispose();

    private static long ToyBytes(ulong seed) => Outputs(seed).Values.Sum(b => (long)b.Length);

    [Fact]
    public void List_reports_artifacts_and_work_directories()
    {
        var a = CommitToy(_cache, Key(seed: 1));
        var b = CommitToy(_cache, Key(kind: "other", seed: 2));
        var pending = Key(seed: 3);
        using (var begin = _cache.BeginWrite(pending, TimeSpan.FromSeconds(10)))
            File.WriteAllBytes(begin.Session!.GetOutputPath("part.bin"), new byte[1234]);
        File.WriteAllText(Path.Combine(_temp.Path, "README.md"), "not a kind");
        File.Delete(b.PathOf("empty.txt"));

        var entries = _cache.List();
        Assert.Equal(3, entries.Count);

        var first = entries.Single(e => e.ShortKey == a.Key.Short);
        Assert.Equal("toy", first.Kind);
        Assert.Equal("toy-stage", first.StageName);
        Assert.True(first.ManifestValid, first.Problem);
        Assert.False(first.IsWorkDirectory);
        Assert.Equal(a.Manifest.CreatedUtc, first.CreatedUtc);
        Assert.Equal(ToyBytes(1) + new FileInfo(a.ManifestPath).Length, first.SizeOnDisk);

        var broken = entries.Single(e => e.ShortKey == b.Key.Short);
        Assert.Equal("other", broken.Kind);
        Assert.False(broken.ManifestValid);
        Assert.Contains("empty.txt", broken.Problem);

        var work = entries.Single(e => e.ShortKey == pending.Short);
        Assert.True(work.IsWorkDirectory);
        Assert.False(work.ManifestValid);
        Assert.Equal(1234, work.SizeOnDisk);
        Assert.Contains("resumable", work.Problem);
    }

    [Fact]
    public void List_with_verification_finds_a_flipped_byte_that_sizes_miss()
    {
        var a = CommitToy(_cache, Key());
        var path = a.PathOf("samples.bin");
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0xff;
        File.WriteAllBytes(path, bytes);
        Assert.True(_cache.List().Single().ManifestValid);
        var verified = _cache.List(verifyHashes: true).Single();
        Assert.False(verified.ManifestValid);
        Assert.Contains("samples.bin", verified.Problem);
    }

    [Fact]
    public void Size_on_disk_counts_every_file()
    {
        Assert.Equal(0, new ArtifactCache(Path.Combine(_temp.Path, "absent")).SizeOnDisk);
        var a = CommitToy(_cache, Key(seed: 1));
        var b = CommitToy(_cache, Key(seed: 2));
        // Lock files are empty; each writer leaves a small record of who held the lock next to it.
        var holders = new[] { a.Key, b.Key }.Sum(k => new FileInfo(LockHolder.SidecarPath(_cache.LockFilePath(k))).Length);
        var expected = ToyBytes(1) + ToyBytes(2) + new FileInfo(a.ManifestPath).Length + new FileInfo(b.ManifestPath).Length + holders;
        Assert.Equal(expected, _cache.SizeOnDisk);
    }

    [Fact]
    public void Clean_removes_work_directories_then_artifacts_but_skips_locked_keys()
    {
        var kept = CommitToy(_cache, Key(seed: 1));
        var abandoned = Key(seed: 2);
        using (var begin = _cache.BeginWrite(abandoned, TimeSpan.FromSeconds(10)))
            File.WriteAllBytes(begin.Session!.GetOutputPath("part.bin"), new byte[500]);
        var running = Key(seed: 3);
        using var active = _cache.BeginWrite(running, TimeSpan.FromSeconds(10));
        File.WriteAllBytes(active.Session!.GetOutputPath("part.bin"), new byte[700]);

        var workOnly = _cache.Clean(workDirsOnly: true);
        Assert.Equal((1, 500L, 1), (workOnly.DirectoriesRemoved, workOnly.BytesFreed, workOnly.SkippedLocked));
        Assert.Equal([_cache.WorkDirectory(abandoned)], workOnly.Removed);
        Assert.Equal(_cache.WorkDirectory(running), Assert.Single(workOnly.Skipped).Directory);
        Assert.False(Directory.Exists(_cache.WorkDirectory(abandoned)));
        Assert.True(Directory.Exists(_cache.WorkDirectory(running)));
        Assert.True(_cache.Lookup(kept.Key).IsHit);

        var keptBytes = ToyBytes(1) + new FileInfo(kept.ManifestPath).Length;
        var all = _cache.Clean(workDirsOnly: false);
        Assert.Equal(1, all.DirectoriesRemoved);
        Assert.Equal(1, all.SkippedLocked);
        Assert.Equal(keptBytes, all.BytesFreed);
        Assert.Equal(CacheLookupStatus.Miss, _cache.Lookup(kept.Key).Status);
        Assert.True(Directory.Exists(_cache.WorkDirectory(running)));

        active.Dispose();
        Assert.Equal(1, _cache.Clean(workDirsOnly: true).DirectoriesRemoved);
        Assert.Empty(_cache.List());
    }

    [Fact]
    public void Default_root_honours_the_environment_variable()
    {
        var previous = Environment.GetEnvironmentVariable(ArtifactCache.RootEnvironmentVariable);
        try
        {
            var repo = Path.Combine(_temp.Path, "repo");
            Environment.SetEnvironmentVariable(ArtifactCache.RootEnvironmentVariable, null);
            Assert.Equal(Path.Combine(repo, "data"), ArtifactCache.DefaultRoot(repo));

            Environment.SetEnvironmentVariable(ArtifactCache.RootEnvironmentVariable, "   ");
            Assert.Equal(Path.Combine(repo, "data"), ArtifactCache.DefaultRoot(repo));

            var ci = Path.Combine(_temp.Path, "ci-cache");
            Environment.SetEnvironmentVariable(ArtifactCache.RootEnvironmentVariable, ci);
            Assert.Equal(ci, ArtifactCache.DefaultRoot(repo));

            Environment.SetEnvironmentVariable(ArtifactCache.RootEnvironmentVariable, "cache/here");
            Assert.Equal(Path.Combine(repo, "cache", "here"), ArtifactCache.DefaultRoot(repo));

            Environment.SetEnvironmentVariable(ArtifactCache.RootEnvironmentVariable, ci);
            var artifact = CommitToy(new ArtifactCache(ArtifactCache.DefaultRoot(repo)), Key());
            Assert.StartsWith(ci + Path.DirectorySeparatorChar, artifact.Directory);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ArtifactCache.RootEnvironmentVariable, previous);
        }
    }
}
