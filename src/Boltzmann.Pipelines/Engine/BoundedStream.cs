using System.Threading.Tasks.Dataflow;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Producer -> bounded consumer through TPL Dataflow, with the project's streaming rules
/// (docs/platform.md, "TPL Dataflow"): the consumer block is bounded (backpressure: the producer awaits SendAsync and stops
/// when it returns false), a fault on either side cancels a shared token so the other side stops, and the
/// first non-cancellation exception is rethrown; completion propagates from producer to consumer.
/// </summary>
public static class BoundedStream
{
    public static async Task RunAsync<T>(
        Func<ITargetBlock<T>, CancellationToken, Task> produce,
        Func<T, CancellationToken, Task> consume,
        int capacity,
        CancellationToken cancellation,
        Action<T>? discard = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var token = linked.Token;
        Exception? consumerError = null;
        var consumer = new ActionBlock<T>(async item =>
        {
            try
            {
                if (consumerError is null) await consume(item, token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                consumerError ??= ex;
                linked.Cancel();
                throw;
            }
            finally
            {
                discard?.Invoke(item);
            }
        }, new ExecutionDataflowBlockOptions { BoundedCapacity = capacity, MaxDegreeOfParallelism = 1, EnsureOrdered = true });

        var producer = Task.Run(async () =>
        {
            try
            {
                await produce(consumer, token).ConfigureAwait(false);
                consumer.Complete();
            }
            catch (Exception ex)
            {
                ((IDataflowBlock)consumer).Fault(ex);
                linked.Cancel();
                throw;
            }
        }, CancellationToken.None);

        try
        {
            await Task.WhenAll(producer, consumer.Completion).ConfigureAwait(false);
            // A producer that saw cancellation stops cleanly; the caller must still learn the work is incomplete.
            cancellation.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested && consumerError is null && producer.Exception is null)
        {
            throw;
        }
        catch
        {
            // Report the root cause, not the cancellation it triggered on the other side.
            var errors = new[] { consumerError, producer.Exception?.GetBaseException(), consumer.Completion.Exception?.GetBaseException() }
                .Where(e => e is not null).ToList();
            var root = errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault();
            if (root is not null && !(root is OperationCanceledException && cancellation.IsCancellationRequested))
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(root).Throw();
            cancellation.ThrowIfCancellationRequested();
            throw;
        }
    }

    /// <summary>Sends with backpressure; false means the consumer stopped (fault or cancellation).</summary>
    public static async Task<bool> SendOrStopAsync<T>(ITargetBlock<T> target, T item, CancellationToken token)
    {
        try
        {
            return await target.SendAsync(item, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
