using System.Diagnostics;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Progress as plain lines, for logs that are not a terminal (CI): one line at most every
/// <c>interval</c> per task, with percentage, rate and ETA, plus a final line.
/// </summary>
public sealed class LineProgress(TextWriter output, TimeSpan? interval = null) : IProgressSink
{
    private readonly TextWriter _output = output;
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(10);

    public IProgressTask Start(string description, long total, string unit) => new Task(this, description, total, unit);

    private sealed class Task(LineProgress owner, string description, long total, string unit) : IProgressTask
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _last = TimeSpan.Zero;
        private long _value;

        public void Increment(long amount = 1) => Report(Interlocked.Add(ref _value, amount), false);

        public void SetValue(long value) { Interlocked.Exchange(ref _value, value); Report(value, false); }

        public void Dispose() => Report(Interlocked.Read(ref _value), true);

        private void Report(long value, bool final)
        {
            var now = _clock.Elapsed;
            if (!final && now - _last < owner._interval) return;
            _last = now;
            lock (owner) owner._output.WriteLine(ProgressText.Format(description, value, total, unit, now, final));
        }
    }
}

/// <summary>Formatting shared by the line and terminal progress displays.</summary>
public static class ProgressText
{
    public static string Format(string description, long value, long total, string unit, TimeSpan elapsed, bool final)
    {
        double rate = elapsed.TotalSeconds > 0 ? value / elapsed.TotalSeconds : 0;
        string pct = total > 0 ? $"{100.0 * value / total,5:F1}% " : "";
        string eta = !final && total > 0 && rate > 0 && value < total
            ? $", ETA {FormatDuration(TimeSpan.FromSeconds((total - value) / rate))}" : "";
        string done = final ? " done in " + FormatDuration(elapsed) : "";
        return $"[{description}] {pct}{value:N0}{(total > 0 ? $"/{total:N0}" : "")} {unit} ({FormatRate(rate)} {unit}/s{eta}){done}";
    }

    public static string FormatRate(double rate) => rate switch
    {
        >= 1e9 => $"{rate / 1e9:F2}G",
        >= 1e6 => $"{rate / 1e6:F2}M",
        >= 1e3 => $"{rate / 1e3:F1}k",
        _ => $"{rate:F1}",
    };

    public static string FormatDuration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F1}s";
}
