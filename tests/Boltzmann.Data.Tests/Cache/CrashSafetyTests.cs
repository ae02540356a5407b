using Boltzmann.Data.Cache;
using static Boltzmann.Data.Tests.Cache.CacheTestSupport;

namespace Boltzmann.Data.Tests.Cache;

public sealed class CrashSafetyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed class SimulatedCrash(CommitStep step) : Exception($"simulated crash after {step}");

    [Fact]
    public void A_session_disposed_without_commit_leaves_no_artifact_and_a_resumable_work_directory()
    {
        var cache = new ArtifactCache(_temp.Path);
        var key = Key();
        using (var begin = cache.BeginWrite(key, TimeSpan.FromSeconds(10)))
        {
            Assert.False(begin.Session!.Resumed);
            File.WriteAllBytes(begin.Session.GetOutputPath("samples.bin"), Outputs(key.Seed)["samples.bin"]);
            File.WriteAllText(begin.Session.GetScratchPath("checkpoint.json"), "{\"sweep\":100}");
            // "killed" here: no commit
        }

        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(key).Status);
        Assert.False(Directory.Exists(cache.ArtifactDirectory(key)));
        Assert.True(File.Exists(Path.Combine(cache.WorkDirectory(key), "samples.bin")));

        using (var begin = cache.BeginWrite(key, TimeSpan.FromSeconds(10)))
        {
            var s = begin.Session!;
            Assert.True(s.Resumed);
            Assert.Equal("{\"sweep\":100}", File.ReadAllText(s.GetScratchPath("checkpoint.json")));
            WriteOutputs(s, key.Seed);
            s.Commit(Manifest(key));
        }
        var lookup = cache.Lookup(key);
        Assert.True(lookup.IsHit, lookup.Reason);
        AssertToyContent(lookup.Artifact!, key.Seed);
    }

    [Fact]
    public void Discard_deletes_the_work_directory()
    {
        var cache = new ArtifactCache(_temp.Path);
        var key = Key();
        using (var begin = cache.BeginWrite(key, TimeSpan.FromSeconds(10)))
        {
            File.WriteAllText(begin.Session!.GetOutputPath("a.txt"), "a");
            begin.Session.Discard();
            Assert.Throws<InvalidOperationException>(() => begin.Session.Commit(Manifest(key)));
        }
        Assert.False(Directory.Exists(cache.WorkDirectory(key)));
        using var again = cache.BeginWrite(key, TimeSpan.FromSeconds(10));
        Assert.False(again.Session!.Resumed);
    }

    [Fact]
    public void Reset_empties_a_resumed_work_directory()
    {
        var cache = new ArtifactCache(_temp.Path);
        var key = Key();
        using (var begin = cache.BeginWrite(key, TimeSpan.FromSeconds(10)))
            File.WriteAllText(begin.Session!.GetOutputPath("stale.txt"), "old");
        using (var begin = cache.BeginWrite(key, TimeSpan.FromSeconds(10)))
        {
            Assert.True(begin.Session!.Resumed);
            begin.Session.ResetWorkDirectory();
            Assert.False(begin.Session.Resumed);
            Assert.Empty(Directory.EnumerateFileSystemEntries(begin.Session.WorkDirectory));
            WriteOutputs(begin.Session, key.Seed);
            Assert.DoesNotContain(begin.Session.Commit(Manifest(key)).Manifest.Outputs, o => o.Path == "stale.txt");
        }
    }

    [Fact]
    public void Every_commit_step_has_a_crash_case()
    {
        var covered = typeof(CrashSafetyTests).GetMethod(nameof(A_crash_at_any_commit_step_leaves_old_or_new_state_and_recovers))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]).ToHashSet();
        Assert.Equal(Enum.GetNames<CommitStep>().Order(), covered.Order());
    }

    /// <summary>
    /// A crash after each commit step, both for a first commit and for a commit replacing a corrupt artifact:
    /// what a reader sees is never a half artifact (only miss, the old corrupt state, or the complete new one),
    /// and the next run reaches a verified hit without manual cleanup.
    /// </summary>
    [Theory]
    [InlineData("OutputsHashed", false)]
    [InlineData("ManifestTempWritten", false)]
    [InlineData("ManifestWritten", false)]
    [InlineData("ScratchMovedAside", false)]
    [InlineData("OldArtifactMovedAside", false)]
    [InlineData("Published", false)]
    [InlineData("OutputsHashed", true)]
    [InlineData("ManifestWritten", true)]
    [InlineData("ScratchMovedAside", true)]
    [InlineData("OldArtifactMovedAside", true)]
    [InlineData("Published", true)]
    public void A_crash_at_any_commit_step_leaves_old_or_new_state_and_recovers(string step, bool replacingCorrupt)
    {
        var crashAfter = Enum.Parse<CommitStep>(step);
        var root = Path.Combine(_temp.Path, $"{step}-{replacingCorrupt}");
        var key = Key();
        if (replacingCorrupt)
        {
            var old = CommitToy(new ArtifactCache(root), key);
            File.WriteAllText(old.PathOf("empty.txt"), "damage");
        }

        var crashing = new ArtifactCache(root) { FaultInjector = step => { if (step == crashAfter) throw new SimulatedCrash(step); } };
        using (var begin = crashing.BeginWrite(key, TimeSpan.FromSeconds(10)))
        {
            WriteOutputs(begin.Session!, key.Seed);
            Assert.Throws<SimulatedCrash>(() => begin.Session!.Commit(Manifest(key)));
        }

        var cache = new ArtifactCache(root);
        var seen = cache.Lookup(key);
        var expectedAfterCrash = crashAfter == CommitStep.Published
            ? CacheLookupStatus.Hit
            : replacingCorrupt && crashAfter < CommitStep.OldArtifactMovedAside ? CacheLookupStatus.Corrupt : CacheLookupStatus.Miss;
        Assert.Equal(expectedAfterCrash, seen.Status);
        if (seen.IsHit) AssertToyContent(seen.Artifact!, key.Seed);

        var outcome = cache.GetOrCompute(key, s =>
        {
            Assert.True(s.Resumed);
            WriteOutputs(s, key.Seed);
            return Manifest(key);
        });
        // Once the manifest is in the work directory, the next run finishes the commit instead of recomputing.
        Assert.Equal(crashAfter < CommitStep.ManifestWritten, outcome.Computed);
        var final = cache.Lookup(key);
        Assert.True(final.IsHit, final.Reason);
        AssertToyContent(final.Artifact!, key.Seed);
        Assert.False(Directory.Exists(cache.WorkDirectory(key)));

        cache.Clean(workDirsOnly: true);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, "toy", ".trash")));
        Assert.True(cache.Lookup(key).IsHit);
    }
}
