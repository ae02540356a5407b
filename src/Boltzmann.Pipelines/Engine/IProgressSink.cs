namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Progress of long work (sweeps, rows, training steps). The CLI shows live bars with rate and ETA on a
/// terminal and plain periodic lines otherwise (CI logs); tests use a silent sink.
/// </summary>
public interface IProgressSink
{
    IProgressTask Start(string description, long total, string unit);
}

public interface IProgressTask : IDisposable
{
    void Increment(long amount = 1);
    void SetValue(long value);
}

/// <summary>Human-readable run log (info and warnings), separate from progress.</summary>
public interface IRunLog
{
    void Info(string message);
    void Warn(string message);
}

public sealed class SilentProgress : IProgressSink
{
    public static readonly SilentProgress Instance = new();

    public IProgressTask Start(string description, long total, string unit) => new Task();

    private sealed class Task : IProgressTask
    {
        public void Increment(long amount = 1) { }
        public void SetValue(long value) { }
        public void Dispose() { }
    }
}

/// <summary>Collects log lines in memory (tests) and optionally forwards them.</summary>
public sealed class MemoryLog(IRunLog? inner = null) : IRunLog
{
    private readonly List<string> _lines = [];
    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }
    public void Info(string message) { lock (_lines) _lines.Add("info: " + message); inner?.Info(message); }
    public void Warn(string message) { lock (_lines) _lines.Add("warn: " + message); inner?.Warn(message); }
}
