using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Testing;

/// <summary>
/// A progress sink that cancels a token once a selected progress task reaches <c>limit</c> (by its running total of
/// <see cref="IProgressTask.Increment"/> calls or by <see cref="IProgressTask.SetValue"/>): a kill at an arbitrary
/// point of a stage, for the resume tests (the resumed run must equal an uninterrupted one).
/// </summary>
public sealed class CancelAfterProgress(CancellationTokenSource cts, Func<string, string, bool> selects, long limit) : IProgressSink
{
    /// <summary>Selects the progress tasks counted in <paramref name="unit"/> (e.g. "sweeps", "trajectories", "steps").</summary>
    public static CancelAfterProgress OfUnit(CancellationTokenSource cts, string unit, long limit) =>
        new(cts, (_, u) => u == unit, limit);

    /// <summary>Selects the progress tasks whose description contains <paramref name="text"/>.</summary>
    public static CancelAfterProgress OfDescription(CancellationTokenSource cts, string text, long limit) =>
        new(cts, (d, _) => d.Contains(text, StringComparison.Ordinal), limit);

    public IProgressTask Start(string description, long total, string unit) =>
        new Task(cts, selects(description, unit) ? limit : long.MaxValue);

    private sealed class Task(CancellationTokenSource cts, long limit) : IProgressTask
    {
        private long _value;

        public void Increment(long amount = 1)
        {
            if (Interlocked.Add(ref _value, amount) >= limit) cts.Cancel();
        }

        public void SetValue(long value)
        {
            Interlocked.Exchange(ref _value, value);
            if (value >= limit) cts.Cancel();
        }

        public void Dispose() { }
    }
}
