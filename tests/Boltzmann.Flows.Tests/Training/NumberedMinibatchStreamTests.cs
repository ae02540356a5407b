using Boltzmann.Flows.Training;
using Boltzmann.Random;

namespace Boltzmann.Flows.Tests.Training;

public class NumberedMinibatchStreamTests
{
    /// <summary>A producer with its own sequential random stream: batch m's content depends only on the seed and m.</summary>
    private sealed class CountingProducer(ulong seed)
    {
        private RandomStream _rng = RandomStreams.For(seed, "producer");
        public int Calls;

        public ulong[] Produce(long m, CancellationToken token)
        {
            Interlocked.Increment(ref Calls);
            return [(ulong)m, _rng.NextUInt64(), _rng.NextUInt64()];
        }
    }

    [Fact]
    public void BatchesArriveInOrderAndDoNotDependOnTiming()
    {
        var first = Consume(seed: 3, delayConsumer: false);
        var second = Consume(seed: 3, delayConsumer: true);
        var other = Consume(seed: 4, delayConsumer: false);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (ulong)i), first.Select(b => b[0]));
    }

    private static List<ulong[]> Consume(ulong seed, bool delayConsumer)
    {
        var producer = new CountingProducer(seed);
        using var stream = new NumberedMinibatchStream<ulong[]>(producer.Produce, 0, 40, capacity: 3, CancellationToken.None);
        var got = new List<ulong[]>();
        for (long m = 0; m < 40; m++)
        {
            if (delayConsumer && m % 7 == 0) Thread.Sleep(5);
            got.Add(stream.Take(m));
        }
        return got;
    }

    [Fact]
    public void BackpressureBoundsHowFarTheProducerRunsAhead()
    {
        var producer = new CountingProducer(1);
        using var stream = new NumberedMinibatchStream<ulong[]>(producer.Produce, 0, 1000, capacity: 2, CancellationToken.None);
        stream.Take(0);
        Thread.Sleep(200);
        // One taken, two waiting in the buffer, at most one more built and blocked in SendAsync.
        Assert.InRange(producer.Calls, 3, 4);
        Assert.InRange(stream.Produced, 1, 3);
    }

    [Fact]
    public void StartsAtTheResumedIndexAndRejectsOutOfOrderRequests()
    {
        var producer = new CountingProducer(1);
        using var stream = new NumberedMinibatchStream<ulong[]>(producer.Produce, 25, 30, capacity: 2, CancellationToken.None);
        Assert.Equal(25UL, stream.Take(25)[0]);
        var e = Assert.Throws<InvalidOperationException>(() => stream.Take(27));
        Assert.Contains("next in order is 26", e.Message);
    }

    [Fact]
    public void ProducerFaultIsRethrownToTheConsumer()
    {
        using var stream = new NumberedMinibatchStream<int>((m, _) => m < 3 ? (int)m : throw new InvalidDataException($"sampler broke at batch {m}"),
                                                            0, 10, capacity: 1, CancellationToken.None);
        var taken = new List<int>();
        var e = Assert.Throws<InvalidDataException>(() => { for (long m = 0; m < 10; m++) taken.Add(stream.Take(m)); });
        Assert.Contains("batch 3", e.Message);
        Assert.True(taken.Count <= 3);
    }

    [Fact]
    public void CancellationStopsProducerAndConsumer()
    {
        using var cts = new CancellationTokenSource();
        var producer = new CountingProducer(1);
        var discarded = 0;
        var stream = new NumberedMinibatchStream<ulong[]>(producer.Produce, 0, long.MaxValue, capacity: 2, cts.Token,
                                                         discard: _ => Interlocked.Increment(ref discarded));
        stream.Take(0);
        cts.Cancel();
        // Drain whatever was buffered before the cancellation; then the wait must end with a cancellation.
        Assert.ThrowsAny<OperationCanceledException>((Action)(() => { for (long m = 1; ; m++) stream.Take(m, cts.Token); }));
        stream.Dispose();
        int calls = producer.Calls;
        Thread.Sleep(100);
        Assert.Equal(calls, producer.Calls);
    }

    [Fact]
    public void ProducerThatFinishesEarlyIsReported()
    {
        using var stream = new NumberedMinibatchStream<int>((m, _) => (int)m, 0, 2, capacity: 4, CancellationToken.None);
        stream.Take(0);
        stream.Take(1);
        var e = Assert.Throws<InvalidOperationException>(() => stream.Take(2));
        Assert.Contains("stopped after 2", e.Message);
    }
}
