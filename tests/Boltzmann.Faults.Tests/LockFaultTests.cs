using System.Diagnostics;
using Boltzmann.Data.Cache;

namespace Boltzmann.Faults.Tests;

/// <summary>
/// Another run holding a key's lock (played by this test process), a concurrent clean, and a cache whose locks
/// cannot be taken, against the real boltz process.
/// </summary>
[Trait("Category", "Faults")]
public sealed class LockFaultTests
{
    private const string Pipeline = "one";

    private static FaultRepo OneStageRepo()
    {
        var repo = new FaultRepo();
        repo.Write($"pipelines/{Pipeline}.json",
            """{ "name": "one", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": { "n": 6, "count": 1 } } ] }""");
        return repo;
    }

    private static string LockPath(FaultRepo repo, string stage = "i")
    {
        var key = repo.Keys(Pipeline)[stage];
        return new ArtifactCache(repo.Cache).LockFilePath(key);
    }

    /// <summary>Takes the key's lock as a writing run would (force: the key may already be committed).</summary>
    private static BeginWriteResult HoldLock(FaultRepo repo, string stage = "i") =>
        new ArtifactCache(repo.Cache).BeginWrite(repo.Keys(Pipeline)[stage], TimeSpan.FromSeconds(30), force: true);

    [Fact]
    public void Ctrl_c_during_a_lock_wait_exits_130_promptly()
    {
        using var repo = OneStageRepo();
        var lockPath = LockPath(repo);
        using var held = HoldLock(repo);
        using var run = repo.Start("run", Pipeline, "--profile", "smoke");
        run.WaitForError($"waiting for '{lockPath}'");
        Assert.Contains($"pid {Environment.ProcessId}", run.Err); // who holds it

        // A shell without job control starts background commands with SIGINT ignored, and an ignored signal stays
        // ignored across exec (POSIX), so boltz rightly cannot see a Ctrl+C then. In that case the same cancellation
        // path is driven by SIGTERM (exit 143) instead.
        bool interruptIgnored = SignalIgnoredHere(2);
        var clock = Stopwatch.StartNew();
        run.Signal(interruptIgnored ? "TERM" : "INT");
        var (code, _, err) = run.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.Equal(interruptIgnored ? 143 : 130, code);
        if (!interruptIgnored) Assert.Contains("cancelled", err);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"a cancelled lock wait took {clock.Elapsed} to end");
    }

    /// <summary>Whether this process ignores signal <paramref name="number"/> (SigIgn mask of /proc/self/status), as its children will.</summary>
    private static bool SignalIgnoredHere(int number)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (line is null) return false;
        var mask = ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return (mask & (1UL << (number - 1))) != 0;
    }

    [Fact]
    public void Clean_beside_a_running_session_lists_what_it_removed_and_what_it_skipped_and_fails()
    {
        using var repo = OneStageRepo();
        Assert.Equal(0, repo.Run("run", Pipeline, "--profile", "smoke").Code);
        var key = repo.Keys(Pipeline)["i"];
        var artifact = new ArtifactCache(repo.Cache).ArtifactDirectory(key);
        var published = Directory.CreateDirectory(Path.Combine(repo.Artifacts, Pipeline, "x")).FullName;

        using (HoldLock(repo))
        {
            var clean = repo.Run("clean");
            Assert.Equal(1, clean.Code);
            Assert.Contains($"skipped {artifact}: locked by a running session", clean.Err);
            Assert.Contains($"removed {Path.Combine(repo.Artifacts, Pipeline)}", clean.Out);
            Assert.True(Directory.Exists(artifact));
            Assert.False(Directory.Exists(published));
        }
        var again = repo.Run("clean");
        Assert.Equal(0, again.Code);
        Assert.Contains($"removed {artifact}", again.Out);
        Assert.False(Directory.Exists(artifact));
    }

    /// <summary>
    /// A cache whose lock files cannot be created. (Tests may run as root, which ignores a read-only mode, so the
    /// lock folder is blocked by a file: the same "cannot create the lock" failure a read-only cache gives.)
    /// </summary>
    [Fact]
    public void A_cache_whose_locks_cannot_be_taken_fails_run_and_clean_at_once_naming_the_path()
    {
        using var repo = OneStageRepo();
        Assert.Equal(0, repo.Run("run", Pipeline, "--profile", "smoke").Code);
        var locks = Path.GetDirectoryName(LockPath(repo))!;
        Directory.Delete(locks, recursive: true);
        File.WriteAllText(locks, "not a folder");

        var clock = Stopwatch.StartNew();
        var run = repo.Run("run", Pipeline, "--profile", "smoke", "--force");
        Assert.Equal(1, run.Code);
        Assert.Contains(locks, run.Err);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"an unlockable cache took {clock.Elapsed} to fail");

        var clean = repo.Run("clean");
        Assert.Equal(1, clean.Code);
        Assert.Contains("its lock cannot be taken", clean.Err);
        Assert.DoesNotContain("skipped 0", clean.Out);
    }
}
