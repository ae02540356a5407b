using Boltzmann.Flows.Training;
using Boltzmann.MonteCarlo;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using Boltzmann.Stages.SkFlow.Training;

namespace Boltzmann.Stages.SkFlow.Tests.Training;

/// <summary>
/// The online PT producer: every configuration of every minibatch is fresh (a distinct (chain, sweep) source, later
/// than the previous batch's), the same seed gives the same batches whatever the consumer's pace, a restored state
/// continues exactly, and cancellation stops it.
/// </summary>
public class OnlinePtProducerTests
{
    private const int N = 12, Batch = 50;
    private static readonly SkInstance Instance = Make();

    private static SkInstance Make()
    {
        var rng = RandomStreams.For(3, "online-test");
        return SkInstance.Generate(N, ref rng);
    }

    private static ParallelTemperingOptions Options(ulong seed) =>
        new(TemperatureLadder.Explicit([0.5, 1.0, 2.0])) { Chains = 2, Seed = seed, StageName = "online-test", MaxDegreeOfParallelism = 1 };

    private static OnlinePtProducer Start(ulong seed, int sweepsPerSample = 2) =>
        OnlinePtProducer.Start(Instance, Options(seed), new SkContinuousRelaxation(Instance, 1.0), 1.0, Batch, sweepsPerSample, burnIn: 100,
                               RandomStreams.For(seed, "x"), CancellationToken.None);

    [Fact]
    public void EverySampleOfEveryMinibatchIsFresh()
    {
        var producer = Start(1);
        var sources = new HashSet<(int Chain, long Sweep)>();
        long lastSweep = 0;
        for (long m = 0; m < 40; m++)
        {
            var batch = producer.Next(m, CancellationToken.None);
            Assert.Equal(m, batch.Index);
            Assert.Equal(Batch * N, batch.X.Length);
            Assert.True(batch.Sweeps.Min() > lastSweep, $"batch {m} reuses sweeps up to {lastSweep}");
            lastSweep = batch.Sweeps.Max();
            for (int k = 0; k < Batch; k++) sources.Add((batch.Chains[k], batch.Sweeps[k]));
        }
        Assert.Equal(40 * Batch, sources.Count);
        // 25 rounds of 2 sweeps per batch (2 chains), after 100 burn-in sweeps.
        Assert.Equal(100 + 40 * 25 * 2, producer.SweepsDone);
    }

    [Fact]
    public void SameSeedSameBatchesThroughTheBoundedStreamAndRestoredStateContinuesExactly()
    {
        var direct = Start(7);
        var expected = Enumerable.Range(0, 30).Select(m => direct.Next(m, CancellationToken.None)).ToList();

        var streamed = Start(7);
        using (var stream = new NumberedMinibatchStream<OnlineMinibatch>(streamed.Next, 0, 30, capacity: 2, CancellationToken.None))
            for (long m = 0; m < 30; m++)
            {
                if (m % 5 == 0) Thread.Sleep(3); // a slower consumer must not change anything
                Assert.Equal(expected[(int)m].X, stream.Take(m).X);
            }

        var restored = OnlinePtProducer.Restore(Instance, Options(7), new SkContinuousRelaxation(Instance, 1.0), 1.0, Batch, 2, expected[14].ProducerState);
        for (int m = 15; m < 30; m++)
        {
            var batch = restored.Next(m, CancellationToken.None);
            Assert.Equal(expected[m].X, batch.X);
            Assert.Equal(expected[m].Sweeps, batch.Sweeps);
        }
        Assert.NotEqual(expected[0].X, Start(8).Next(0, CancellationToken.None).X);
    }

    [Fact]
    public void CancellationPropagatesToTheProducerAndConsumer()
    {
        using var cts = new CancellationTokenSource();
        var producer = Start(1);
        var stream = new NumberedMinibatchStream<OnlineMinibatch>(producer.Next, 0, long.MaxValue, capacity: 2, cts.Token);
        stream.Take(0);
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>((Action)(() => { for (long m = 1; ; m++) stream.Take(m, cts.Token); }));
        stream.Dispose();
        long sweeps = producer.SweepsDone;
        Thread.Sleep(50);
        Assert.Equal(sweeps, producer.SweepsDone);
    }

    [Fact]
    public void RejectsATemperatureOffTheLadder()
    {
        var e = Assert.Throws<ArgumentException>(() => OnlinePtProducer.Start(Instance, Options(1), new SkContinuousRelaxation(Instance, 1 / 1.5), 1.5,
                                                                             Batch, 1, 0, RandomStreams.For(1, "x"), CancellationToken.None));
        Assert.Contains("not on the ladder", e.Message);
    }
}
