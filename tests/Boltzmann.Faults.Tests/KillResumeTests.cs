using Boltzmann.Data.Cache;
using Boltzmann.Data.Parquet;

namespace Boltzmann.Faults.Tests;

/// <summary>
/// SIGKILL at several points of the sk-pt smoke run, optionally damaging what the kill left behind; the rerun must
/// resume and end byte-identical to an uninterrupted run. Kill points are found from progress markers (log lines,
/// part files on disk), never from fixed delays, so a slow shared machine only makes the tests slower.
/// </summary>
[Trait("Category", "Faults")]
public sealed class KillResumeTests(SkPtReference reference) : IClassFixture<SkPtReference>
{
    private const string Pt = "small-pt";

    /// <summary>small-pt is sharded (a unit per instance; the smoke profile has one): the unit samples in its own work directory.</summary>
    private static string PtWork(FaultRepo repo) =>
        new ArtifactCache(repo.Cache).WorkDirectory(Assert.Single(repo.UnitKeys(SkPtReference.Pipeline, Pt)));

    private static string PtSamples(FaultRepo repo) => Path.Combine(PtWork(repo), "samples");

    private static string PtCheckpoint(FaultRepo repo) => Path.Combine(PtWork(repo), ".scratch", "checkpoint.json");

    /// <summary>
    /// Starts the smoke run and SIGKILLs it once small-pt has written <paramref name="parts"/> part files (and, with
    /// <paramref name="checkpointed"/>, the checkpoint that follows them: a part is committed before its checkpoint).
    /// </summary>
    private static FaultRepo KilledDuringSampling(int parts, bool checkpointed = false)
    {
        var repo = new FaultRepo();
        repo.CopyRepoPipeline(SkPtReference.Pipeline);
        var samples = PtSamples(repo);
        var checkpoint = PtCheckpoint(repo);
        using (var run = repo.Start("run", SkPtReference.Pipeline, "--profile", "smoke"))
        {
            run.WaitUntil(() => Directory.Exists(samples) && SpinDatasetWriter.CompletedParts(samples).Count >= parts
                                && (!checkpointed || File.Exists(checkpoint)),
                          checkpointed ? $"{parts} PT part(s) and the checkpoint on disk" : $"{parts} PT part(s) on disk");
            run.Kill();
        }
        Assert.True(Directory.Exists(samples), "the kill must land while small-pt samples (its work directory is gone)");
        return repo;
    }

    private static (int Code, string Out, string Err) Resume(FaultRepo repo)
    {
        var rerun = repo.Run("run", SkPtReference.Pipeline, "--profile", "smoke");
        Assert.True(rerun.Code == 0, $"resumed run failed ({rerun.Code}):\n{rerun.Out}\n{rerun.Err}");
        return rerun;
    }

    [Fact]
    public void A_kill_during_pt_sampling_resumes_byte_identical()
    {
        // Killed after a checkpoint: a kill between a part's commit and its checkpoint (a window of a few ms that a loaded
        // machine does hit) correctly restarts the instance instead, which would not show the resume asserted here.
        using var repo = KilledDuringSampling(parts: 1, checkpointed: true);
        var rerun = Resume(repo);
        Assert.Contains($"{Pt}: resuming", rerun.Out);
        reference.AssertSameAs(repo);
    }

    [Fact]
    public void A_reused_part_damaged_after_the_kill_is_detected_and_recomputed()
    {
        using var repo = KilledDuringSampling(parts: 2);
        var part = Path.Combine(PtSamples(repo), SpinDatasetWriter.PartFileName(0));
        var bytes = File.ReadAllBytes(part);
        bytes[bytes.Length / 2] ^= 0x5A; // same length, so only a hash (or a full decode) can see it
        File.WriteAllBytes(part, bytes);

        var rerun = Resume(repo);
        Assert.Contains($"reused part {part} does not match", rerun.Err);
        reference.AssertSameAs(repo);
    }

    [Fact]
    public void A_damaged_pt_checkpoint_is_treated_as_missing_and_temporary_files_are_never_published()
    {
        using var repo = KilledDuringSampling(parts: 1, checkpointed: true);
        var checkpoint = PtCheckpoint(repo);
        Assert.True(File.Exists(checkpoint), "the PT stage checkpoints after each part");
        File.WriteAllText(checkpoint, "{ \"NextPart\": 1, \"SamplerState\": \"trunc");
        // A write a kill interrupted leaves hidden temporary files beside real outputs.
        File.WriteAllText(Path.Combine(PtSamples(repo), ".part-00009.parquet.4242.0badc0de.tmp"), "half a part");

        var rerun = Resume(repo);
        Assert.Contains($"checkpoint {checkpoint} is damaged", rerun.Err);
        reference.AssertSameAs(repo); // no .tmp file in the cache's outputs, manifests or artifacts/
        Assert.DoesNotContain(Directory.EnumerateFiles(repo.Cache, "*.tmp", SearchOption.AllDirectories), f => !f.Contains("/.trash/"));
    }

    [Theory]
    [InlineData("small-observables")]
    [InlineData("small-figures")]
    public void A_kill_in_a_later_stage_resumes_byte_identical(string stage)
    {
        using var repo = new FaultRepo();
        repo.CopyRepoPipeline(SkPtReference.Pipeline);
        using (var run = repo.Start("run", SkPtReference.Pipeline, "--profile", "smoke"))
        {
            run.WaitForOutput($"{stage}: running");
            run.Kill();
        }
        var work = Path.Combine(repo.Cache, stage == "small-figures" ? "sk-pt-figures" : "sk-pt-observables", ".work",
                                repo.Keys(SkPtReference.Pipeline)[stage].Short);
        if (Directory.Exists(work))
        {
            var publish = Path.Combine(work, "publish");
            Directory.CreateDirectory(publish);
            File.WriteAllText(Path.Combine(publish, ".figure.png.4242.0badc0de.tmp"), "half a picture");
        }

        Resume(repo);
        reference.AssertSameAs(repo);
        Assert.Empty(Directory.EnumerateFiles(repo.Artifacts, "*.tmp", SearchOption.AllDirectories));
    }
}
