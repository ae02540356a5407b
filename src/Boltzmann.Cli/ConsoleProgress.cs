using System.Diagnostics;
using Boltzmann.Pipelines.Engine;
using Spectre.Console;

namespace Boltzmann.Cli;

/// <summary>
/// Live progress bars with rate and ETA when stdout is an interactive terminal (Spectre.Console);
/// the CLI falls back to <see cref="LineProgress"/> when output is redirected or CI is set.
/// </summary>
public sealed class ConsoleProgress : IProgressSink
{
    private ProgressContext? _context;

    public static bool IsInteractive =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && AnsiConsole.Profile.Capabilities.Interactive;

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        return await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                _context = ctx;
                try { return await work(); }
                finally { _context = null; }
            });
    }

    public IProgressTask Start(string description, long total, string unit)
    {
        var ctx = _context ?? throw new InvalidOperationException("ConsoleProgress.Start outside RunAsync.");
        var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
        return new Bar(task, description, total, unit);
    }

    private sealed class Bar(ProgressTask task, string description, long total, string unit) : IProgressTask
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _value;
        private TimeSpan _lastLabel;

        public void Increment(long amount = 1) => Update(Interlocked.Add(ref _value, amount));

        public void SetValue(long value) { Interlocked.Exchange(ref _value, value); Update(value); }

        public void Dispose()
        {
            task.Value = task.MaxValue;
            task.Description = Markup.Escape(ProgressText.Format(description, Interlocked.Read(ref _value), total, unit, _clock.Elapsed, true));
            task.StopTask();
        }

        private void Update(long value)
        {
            task.Value = Math.Min(value, (long)task.MaxValue);
            var now = _clock.Elapsed;
            if (now - _lastLabel < TimeSpan.FromSeconds(0.5)) return;
            _lastLabel = now;
            double rate = value / Math.Max(1e-9, now.TotalSeconds);
            task.Description = Markup.Escape($"{description} ({ProgressText.FormatRate(rate)} {unit}/s)");
        }
    }
}

/// <summary>
/// Info lines on stdout, warnings on stderr (so a warning is seen even when stdout is piped or discarded), coloured
/// on a terminal.
/// </summary>
public sealed class ConsoleLog(bool interactive) : IRunLog
{
    private static readonly Lazy<IAnsiConsole> ErrorConsole =
        new(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));

    public void Info(string message)
    {
        if (interactive) AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {Markup.Escape(message)}");
        else Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {message}");
    }

    public void Warn(string message)
    {
        if (interactive) ErrorConsole.Value.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] [yellow]warning:[/] {Markup.Escape(message)}");
        else Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} warning: {message}");
    }
}
