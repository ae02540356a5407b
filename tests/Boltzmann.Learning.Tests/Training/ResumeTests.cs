using Boltzmann.Learning.Training;
using TorchSharp;

namespace Boltzmann.Learning.Tests.Training;

/// <summary>
/// Checkpoint/resume against an uninterrupted run: parameters, loss log, generator and stream states must be
/// bit-identical; corrupt checkpoints fall back to the previous one; foreign checkpoints are refused.
/// </summary>
public class ResumeTests
{
    private static TrainingOptions Options(bool checkpointOnCancel = false, int keep = 2) => new()
    {
        Steps = 200,
        LearningRate = 0.02,
        CheckpointInterval = 50,
        KeepCheckpoints = keep,
        CheckpointOnCancel = checkpointOnCancel,
        GarbageCollectionInterval = 0,
    };

    private static (long[][] Parameters, LossLog Log, byte[] Generator, ulong[] Stream) Straight(TrainingOptions options)
    {
        using var dir = new TempDirectory();
        using var s = new TrainingSession(dir.Path, options, initSeed: 1);
        s.Trainer.Resume();
        s.Trainer.Run(s.Closure);
        return (s.ParameterBits(), s.Trainer.Log, s.GeneratorState(), s.Stream.Value.GetState());
    }

    /// <summary>Runs until <paramref name="cancelAt"/> completed steps, then cancels (the "kill").</summary>
    private static void RunAndCancel(string dir, TrainingOptions options, long cancelAt)
    {
        using var s = new TrainingSession(dir, options, initSeed: 1);
        using var cts = new CancellationTokenSource();
        s.Trainer.Resume();
        Assert.ThrowsAny<OperationCanceledException>(() => s.Trainer.Run(s.Closure, (done, _) => { if (done == cancelAt) cts.Cancel(); }, cts.Token));
        Assert.Equal(cancelAt, s.Trainer.CompletedSteps);
    }

    private static void AssertIdentical((long[][] Parameters, LossLog Log, byte[] Generator, ulong[] Stream) expected, TrainingSession resumed)
    {
        var bits = resumed.ParameterBits();
        Assert.Equal(expected.Parameters.Length, bits.Length);
        for (int i = 0; i < bits.Length; i++) Assert.Equal(expected.Parameters[i], bits[i]);
        Assert.Equal(200, resumed.Trainer.Log.Count);
        Assert.Null(expected.Log.FirstDifference(resumed.Trainer.Log));
        Assert.Equal(expected.Generator, resumed.GeneratorState());
        Assert.Equal(expected.Stream, resumed.Stream.Value.GetState());
    }

    [Fact]
    public void KilledRunResumedFromItsLastCheckpointIsBitIdenticalToAnUninterruptedOne()
    {
        var options = Options(checkpointOnCancel: false);
        var straight = Straight(options);
        using var dir = new TempDirectory();
        RunAndCancel(dir.Path, options, cancelAt: 120);
        Assert.Equal([50L, 100L], TrainingCheckpoint.List(dir.Path).Select(c => c.CompletedSteps));

        // A new "process": different initial parameters and seeds, all overwritten by the checkpoint.
        using var resumed = new TrainingSession(dir.Path, options, initSeed: 99);
        var info = resumed.Trainer.Resume();
        Assert.EndsWith(TrainingCheckpoint.DirectoryName(100), info.Checkpoint);
        Assert.Equal(100, info.CompletedSteps);
        Assert.Empty(info.Skipped);
        Assert.Equal(100, resumed.Trainer.Log.Count);
        var result = resumed.Trainer.Run(resumed.Closure);
        Assert.Equal(100, result.StepsThisRun);
        AssertIdentical(straight, resumed);
    }

    [Fact]
    public void CancelledRunCheckpointsItsLastStepAndResumesBitIdentically()
    {
        var options = Options(checkpointOnCancel: true);
        var straight = Straight(options);
        using var dir = new TempDirectory();
        RunAndCancel(dir.Path, options, cancelAt: 120);
        Assert.Equal([100L, 120L], TrainingCheckpoint.List(dir.Path).Select(c => c.CompletedSteps));
        using var resumed = new TrainingSession(dir.Path, options, initSeed: 5);
        Assert.Equal(120, resumed.Trainer.Resume().CompletedSteps);
        resumed.Trainer.Run(resumed.Closure);
        AssertIdentical(straight, resumed);
    }

    [Theory]
    [InlineData("flip a byte of model.bin", TrainingCheckpoint.ModelFile)]
    [InlineData("truncate optimizer.bin", TrainingCheckpoint.OptimizerFile)]
    [InlineData("delete the manifest hash (incomplete)", TrainingCheckpoint.ManifestHashFile)]
    [InlineData("edit the manifest", TrainingCheckpoint.ManifestFile)]
    public void CorruptNewestCheckpointFallsBackToThePreviousOne(string damage, string file)
    {
        var options = Options(keep: 3);
        var straight = Straight(options);
        using var dir = new TempDirectory();
        using (var first = new TrainingSession(dir.Path, options, initSeed: 1))
        {
            first.Trainer.Resume();
            first.Trainer.Run(first.Closure);
        }
        Assert.Equal([100L, 150L, 200L], TrainingCheckpoint.List(dir.Path).Select(c => c.CompletedSteps));
        string newest = Path.Combine(dir.Path, TrainingCheckpoint.DirectoryName(200));
        string path = Path.Combine(newest, file);
        switch (file)
        {
            case TrainingCheckpoint.ModelFile:
                var bytes = File.ReadAllBytes(path);
                bytes[^3] ^= 0x10;
                File.WriteAllBytes(path, bytes);
                break;
            case TrainingCheckpoint.OptimizerFile:
                var all = File.ReadAllBytes(path);
                File.WriteAllBytes(path, all[..(all.Length / 2)]);
                break;
            case TrainingCheckpoint.ManifestHashFile:
                File.Delete(path);
                break;
            default:
                File.WriteAllText(path, File.ReadAllText(path).Replace("\"CompletedSteps\": 200", "\"CompletedSteps\": 201"));
                break;
        }
        var problem = Assert.Throws<CheckpointCorruptException>(() => TrainingCheckpoint.Verify(newest));
        Assert.Contains(file, problem.Message);

        using var resumed = new TrainingSession(dir.Path, options, initSeed: 42);
        var info = resumed.Trainer.Resume();
        Assert.EndsWith(TrainingCheckpoint.DirectoryName(150), info.Checkpoint);
        var skipped = Assert.Single(info.Skipped);
        Assert.Contains(TrainingCheckpoint.DirectoryName(200), skipped);
        Assert.Contains(TrainingCheckpoint.QuarantinePrefix + TrainingCheckpoint.DirectoryName(200), skipped);
        Assert.True(Directory.Exists(Path.Combine(dir.Path, TrainingCheckpoint.QuarantinePrefix + TrainingCheckpoint.DirectoryName(200))), damage);
        resumed.Trainer.Run(resumed.Closure);
        AssertIdentical(straight, resumed);
        Assert.Equal(200, TrainingCheckpoint.Verify(Path.Combine(dir.Path, TrainingCheckpoint.DirectoryName(200))).CompletedSteps);
    }

    [Fact]
    public void ResumeFromACorruptCheckpointNamesTheFile()
    {
        using var dir = new TempDirectory();
        var options = Options() with { Steps = 50 };
        using (var s = new TrainingSession(dir.Path, options, 1))
        {
            s.Trainer.Resume();
            s.Trainer.Run(s.Closure);
        }
        string ckpt = Path.Combine(dir.Path, TrainingCheckpoint.DirectoryName(50));
        File.AppendAllText(Path.Combine(ckpt, TrainingCheckpoint.LossLogFile), "999,1,1,1,1,1\n");
        using var resumed = new TrainingSession(dir.Path, options, 2);
        var e = Assert.Throws<CheckpointCorruptException>(() => resumed.Trainer.ResumeFrom(ckpt));
        Assert.Contains("loss-log.csv SHA-256", e.Message);
        Assert.Equal(0, resumed.Trainer.CompletedSteps);
    }

    [Fact]
    public void StaleTemporaryDirectoriesAreIgnoredAndRemoved()
    {
        using var dir = new TempDirectory();
        var options = Options() with { Steps = 50 };
        using (var s = new TrainingSession(dir.Path, options, 1))
        {
            s.Trainer.Resume();
            s.Trainer.Run(s.Closure);
        }
        string stale = Path.Combine(dir.Path, ".step-0000000100.123.abc.tmp");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, TrainingCheckpoint.ModelFile), "half written");
        using var resumed = new TrainingSession(dir.Path, options, 2);
        Assert.Equal(50, resumed.Trainer.Resume().CompletedSteps);
        Assert.False(Directory.Exists(stale));
    }

    [Fact]
    public void ACheckpointOfAnotherSetupIsRefusedWithEveryDifference()
    {
        using var dir = new TempDirectory();
        var options = Options() with { Steps = 50 };
        using (var s = new TrainingSession(dir.Path, options, 1))
        {
            s.Trainer.Resume();
            s.Trainer.Run(s.Closure);
        }
        using (var other = new TrainingSession(dir.Path, options with { LearningRate = 0.5, DType = TorchSharp.torch.ScalarType.Float32 }, 1))
        {
            var e = Assert.Throws<CheckpointMismatchException>(() => other.Trainer.Resume());
            Assert.Contains("option LearningRate: checkpoint 0.02, now 0.5", e.Message);
            Assert.Contains("option DType: checkpoint Float64, now Float32", e.Message);
            Assert.Contains("model tensors", e.Message);
        }
        using (var model = new DiagonalGaussian([0, 0], [0, 0]))
        using (var trainer = new Trainer(model, options, dir.Path))
        {
            var e = Assert.Throws<CheckpointMismatchException>(() => trainer.Resume());
            Assert.Contains("mu [4] Float64", e.Message);
            Assert.Contains("mu [2] Float64", e.Message);
            Assert.Contains("generators: checkpoint [sampler], registered []", e.Message);
            Assert.Contains("random streams: checkpoint [noise], registered []", e.Message);
        }
    }

    [Fact]
    public void RunRefusesToOverwriteExistingCheckpointsWithoutResume()
    {
        using var dir = new TempDirectory();
        var options = Options() with { Steps = 50 };
        using (var s = new TrainingSession(dir.Path, options, 1))
        {
            s.Trainer.Resume();
            s.Trainer.Run(s.Closure);
        }
        using var again = new TrainingSession(dir.Path, options, 1);
        var e = Assert.Throws<InvalidOperationException>(() => again.Trainer.Run(again.Closure));
        Assert.Contains("call Resume()", e.Message);
        Assert.Contains(TrainingCheckpoint.DirectoryName(50), e.Message);
    }

    [Fact]
    public void ProgressReportsEveryStepAndOldCheckpointsArePruned()
    {
        using var dir = new TempDirectory();
        var options = Options() with { Steps = 120, CheckpointInterval = 20, KeepCheckpoints = 2 };
        using var s = new TrainingSession(dir.Path, options, 1);
        s.Trainer.Resume();
        var seen = new List<(long, long)>();
        var result = s.Trainer.Run(s.Closure, (done, total) => seen.Add((done, total)));
        Assert.Equal(Enumerable.Range(1, 120).Select(i => ((long)i, 120L)), seen);
        Assert.Equal([100L, 120L], TrainingCheckpoint.List(dir.Path).Select(c => c.CompletedSteps));
        Assert.EndsWith(TrainingCheckpoint.DirectoryName(120), result.FinalCheckpoint);
        Assert.Equal(120, result.CompletedSteps);
        Assert.Equal(result.Log.Records[^1].Loss, result.FinalLoss);
    }
}
