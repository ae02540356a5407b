using Boltzmann.Learning.Training;
using Boltzmann.Random;

namespace Boltzmann.Learning.Tests.Training;

/// <summary>
/// A job's own state registered with <see cref="Trainer.RegisterState"/> (here: a xoshiro stream owned by the job,
/// like the online PT producer of the flow stages) is checkpointed and restored with the trainer, so a killed run
/// resumes bit for bit; without the restore the resumed run diverges from the uninterrupted one.
/// </summary>
public class CheckpointStateTests
{
    /// <summary>A job-owned random source that scales the loss; its state is what the hook carries.</summary>
    private sealed class JobNoise(ulong seed) : ICheckpointState
    {
        public RandomStream Stream = new(seed);

        public int Loads { get; private set; }

        public string Name => "job-noise";

        public byte[] Save(long completedSteps) => Stream.GetState().SelectMany(BitConverter.GetBytes).ToArray();

        public void Load(byte[] state, long completedSteps)
        {
            if (state.Length != 32) throw new InvalidDataException($"expected 32 bytes, got {state.Length}");
            Stream = RandomStream.FromState(Enumerable.Range(0, 4).Select(i => BitConverter.ToUInt64(state, 8 * i)).ToArray());
            Loads++;
        }
    }

    private static TrainingOptions Options(OptimizerKind optimizer = OptimizerKind.Adam) => new()
    {
        Steps = 120,
        LearningRate = 0.02,
        CheckpointInterval = 40,
        CheckpointOnCancel = false,
        GarbageCollectionInterval = 0,
        Optimizer = optimizer,
    };

    /// <summary>Runs a session with job noise; cancels after <paramref name="cancelAt"/> steps if given.</summary>
    private static long[][] Run(string dir, TrainingOptions options, bool registerState, long? cancelAt = null, int initSeed = 1)
    {
        using var s = new TrainingSession(dir, options, initSeed);
        var noise = new JobNoise(77 + (ulong)initSeed);
        if (registerState) s.Trainer.RegisterState(noise);
        s.Trainer.Resume();
        var inner = s.Closure;
        Func<long, StepResult> closure = step =>
        {
            var r = inner(step);
            double v = noise.Stream.NextDouble();
            return r with { Loss = r.Loss * (1 + 0.05 * v) };
        };
        using var cts = new CancellationTokenSource();
        if (cancelAt is long at)
        {
            Assert.ThrowsAny<OperationCanceledException>(() => s.Trainer.Run(closure, (done, _) => { if (done == at) cts.Cancel(); }, cts.Token));
            return [];
        }
        s.Trainer.Run(closure);
        return s.ParameterBits();
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Sgd)]
    public void ResumeWithTheRegisteredStateIsBitIdenticalAndWithoutItIsNot(OptimizerKind optimizer)
    {
        var options = Options(optimizer);
        using var straightDir = new TempDirectory();
        var straight = Run(straightDir.Path, options, registerState: true);

        using var dir = new TempDirectory();
        Run(dir.Path, options, registerState: true, cancelAt: 100);
        Assert.All(TrainingCheckpoint.List(dir.Path), c => Assert.True(File.Exists(Path.Combine(c.Path, TrainingCheckpoint.StateFile("job-noise")))));
        var resumed = Run(dir.Path, options, registerState: true, initSeed: 1);
        Assert.Equal(straight, resumed);

        // The same kill, but the resumed job's noise is not restored (the state is re-created, as a job without the hook would).
        using var unhooked = new TempDirectory();
        Run(unhooked.Path, options, registerState: false, cancelAt: 100);
        var notRestored = Run(unhooked.Path, options, registerState: false, initSeed: 1);
        Assert.NotEqual(straight, notRestored);
    }

    [Fact]
    public void ACheckpointWithoutTheRegisteredStateIsRefused()
    {
        using var dir = new TempDirectory();
        Run(dir.Path, Options(), registerState: false, cancelAt: 50);
        Assert.Throws<CheckpointMismatchException>(() => Run(dir.Path, Options(), registerState: true));
    }

    [Fact]
    public void AStateThatRejectsItsBytesMakesTheCheckpointCorruptAndResumeFallsBack()
    {
        using var dir = new TempDirectory();
        Run(dir.Path, Options(), registerState: true, cancelAt: 100);
        Assert.Equal(["job-noise"], TrainingCheckpoint.Verify(TrainingCheckpoint.List(dir.Path)[^1].Path).States!);
        // Both checkpoints (40, 80) hold states this job rejects: each is quarantined and training starts over.
        using var s = new TrainingSession(dir.Path, Options(), 1);
        var bad = new RejectingState();
        s.Trainer.RegisterState(bad);
        var info = s.Trainer.Resume();
        Assert.Equal(2, info.Skipped.Count);
        Assert.Equal(0, s.Trainer.CompletedSteps);
    }

    [Fact]
    public void OptimizerOptionsAreValidated()
    {
        Assert.Contains("Optimizer", Assert.Throws<ArgumentException>(() => (Options() with { Optimizer = (OptimizerKind)7 }).Validate()).Message);
        // Adam keeps its old fingerprint (old checkpoints resume); SGD records itself.
        Assert.DoesNotContain(Options().NumericsFingerprint(), kv => kv.Key == "Optimizer");
        Assert.Contains(Options(OptimizerKind.Sgd).NumericsFingerprint(), kv => kv.Key == "Optimizer" && kv.Value == "Sgd");
    }

    private sealed class RejectingState : ICheckpointState
    {
        public string Name => "job-noise";

        public byte[] Save(long completedSteps) => [];

        public void Load(byte[] state, long completedSteps) => throw new InvalidDataException("unusable");
    }
}
