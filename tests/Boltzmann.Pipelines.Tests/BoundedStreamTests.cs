using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Pipelines.Tests;

public class BoundedStreamTests
{
    [Fact]
    public async Task DeliversEverythingInOrderWithBackpressure()
    {
        var received = new List<int>();
        int produced = 0, maxAhead = 0;
        await BoundedStream.RunAsync<int>(
            async (target, ct) =>
            {
                for (int i = 0; i < 200; i++)
                {
                    Interlocked.Increment(ref produced);
                    if (!await BoundedStream.SendOrStopAsync(target, i, ct)) return;
                }
            },
            async (item, ct) =>
            {
                maxAhead = Math.Max(maxAhead, Volatile.Read(ref produced) - received.Count);
                await Task.Delay(1, ct);
                received.Add(item);
            },
            capacity: 3, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 200), received);
        Assert.InRange(maxAhead, 1, 5); // bounded: the producer never runs far ahead of the consumer
    }

    [Fact]
    public async Task ConsumerFaultStopsTheProducerAndIsReported()
    {
        int produced = 0;
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => BoundedStream.RunAsync<int>(
            async (target, ct) =>
            {
                for (int i = 0; i < 1_000_000; i++)
                {
                    produced++;
                    if (!await BoundedStream.SendOrStopAsync(target, i, ct)) return;
                }
            },
            (item, ct) => item == 5 ? throw new InvalidDataException("disk full") : Task.CompletedTask,
            capacity: 2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("disk full", ex.Message);
        Assert.True(produced < 100, $"producer should stop soon after the fault, produced {produced}");
    }

    [Fact]
    public async Task ProducerFaultIsReportedAndCompletesTheConsumer()
    {
        var ex = await Assert.ThrowsAsync<ArithmeticException>(() => BoundedStream.RunAsync<int>(
            async (target, ct) =>
            {
                await BoundedStream.SendOrStopAsync(target, 1, ct);
                throw new ArithmeticException("NaN energy");
            },
            (item, ct) => Task.CompletedTask,
            capacity: 2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("NaN energy", ex.Message);
    }

    [Fact]
    public async Task ExternalCancellationStopsBothSides()
    {
        using var cts = new CancellationTokenSource();
        var disposed = new List<int>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BoundedStream.RunAsync<int>(
            async (target, ct) =>
            {
                for (int i = 0; ; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    if (i == 10) cts.Cancel();
                    if (!await BoundedStream.SendOrStopAsync(target, i, ct)) return;
                }
            },
            async (item, ct) => await Task.Delay(1, ct),
            capacity: 2, cts.Token, discard: i => { lock (disposed) disposed.Add(i); }).WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
