using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Dataflow;

namespace Boltzmann.Flows.Training;

/// <summary>
/// Online training data (the extension proposed in Hartnett &amp; Mohseni 2020, section 6: Monte Carlo sampling in
/// tandem with gradient descent, every minibatch previously unseen). A producer on its own thread builds minibatch
/// m = first, first+1, … by calling <c>produce(m)</c> — it owns its sampler and random streams, so the content of
/// minibatch m does not depend on thread timing — and sends it through a bounded Dataflow <see cref="BufferBlock{T}"/>
/// (backpressure: it blocks once <c>capacity</c> batches wait). The trainer pulls them in order with
/// <see cref="Take"/>, which checks the numbering. A producer fault is rethrown by the next <see cref="Take"/>;
/// cancellation (the caller's token or <see cref="Dispose"/>) stops the producer; a cancelled <see cref="Take"/>
/// throws <see cref="OperationCanceledException"/>. Batches never taken are passed to <c>discard</c>.
/// </summary>
public sealed class NumberedMinibatchStream<T> : IDisposable
{
    private readonly BufferBlock<(long Index, T Item)> _buffer;
    private readonly CancellationTokenSource _stop;
    private readonly Task _producer;
    private readonly Action<T>? _discard;
    private Exception? _producerError;
    private long _produced;
    private long _next;
    private bool _disposed;

    /// <param name="produce">Builds minibatch m (called on the producer thread, in increasing m).</param>
    /// <param name="first">Index of the first minibatch (the completed steps of a resumed run).</param>
    /// <param name="end">One past the last minibatch.</param>
    /// <param name="capacity">Batches that may wait in the buffer (≥ 1).</param>
    /// <param name="cancellation">Stops the producer and any waiting <see cref="Take"/>.</param>
    /// <param name="discard">Releases a batch that was produced but never taken.</param>
    public NumberedMinibatchStream(Func<long, CancellationToken, T> produce, long first, long end, int capacity,
                                   CancellationToken cancellation, Action<T>? discard = null)
    {
        ArgumentNullException.ThrowIfNull(produce);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, first);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _discard = discard;
        _next = first;
        _buffer = new BufferBlock<(long, T)>(new DataflowBlockOptions { BoundedCapacity = capacity, EnsureOrdered = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var token = _stop.Token;
        _producer = Task.Factory.StartNew(() => Produce(produce, first, end, token), CancellationToken.None,
                                          TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Minibatches produced so far (including those still in the buffer).</summary>
    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>Index of the next minibatch <see cref="Take"/> returns.</summary>
    public long Next => _next;

    /// <summary>Waits for minibatch <paramref name="index"/>, which must be the next one in order.</summary>
    public T Take(long index, CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (index != _next)
            throw new InvalidOperationException($"NumberedMinibatchStream: minibatch {index} was requested, but the next in order is {_next}; batches are consumed strictly in order.");
        (long Index, T Item) received;
        try
        {
            received = _buffer.Receive(cancellation);
        }
        catch (InvalidOperationException)
        {
            // The buffer completed or faulted: let its completion settle, then report the producer's root cause.
            try { _buffer.Completion.Wait(TimeSpan.FromSeconds(10)); }
            catch (AggregateException) { }
            RethrowProducerError();
            throw new InvalidOperationException($"NumberedMinibatchStream: minibatch {index} was requested but the producer stopped after {Produced} batches.");
        }
        if (received.Index != index)
            throw new InvalidOperationException($"NumberedMinibatchStream: received minibatch {received.Index} while expecting {index}.");
        _next = index + 1;
        return received.Item;
    }

    /// <summary>Stops the producer, waits for it, and discards every batch still buffered.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        try { _producer.Wait(); }
        catch (AggregateException) { }
        while (_buffer.TryReceive(out var left)) _discard?.Invoke(left.Item);
        _stop.Dispose();
    }

    private void Produce(Func<long, CancellationToken, T> produce, long first, long end, CancellationToken token)
    {
        try
        {
            for (long m = first; m < end; m++)
            {
                token.ThrowIfCancellationRequested();
                var item = produce(m, token);
                bool accepted;
                try { accepted = _buffer.SendAsync((m, item), token).GetAwaiter().GetResult(); }
                catch (OperationCanceledException) { accepted = false; }
                if (!accepted)
                {
                    _discard?.Invoke(item);
                    break;
                }
                Interlocked.Increment(ref _produced);
            }
            _buffer.Complete();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _buffer.Complete();
        }
        catch (Exception e)
        {
            _producerError = e;
            ((IDataflowBlock)_buffer).Fault(e);
        }
    }

    private void RethrowProducerError()
    {
        if (_producerError is not null)
            ExceptionDispatchInfo.Capture(_producerError).Throw();
    }
}
