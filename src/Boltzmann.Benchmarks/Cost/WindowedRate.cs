using System.Diagnostics;

namespace Boltzmann.Benchmarks.Cost;

/// <summary>
/// A throughput measured as the median of repeated timed windows (after warm-up), with the spread and the process CPU
/// time: on a shared machine the wall-clock rate drops under load while the CPU-time rate stays roughly put, so
/// <see cref="PerCpuSecond"/> is the per-core figure to compare when the load average exceeds the cores in use.
/// </summary>
/// <param name="Median">Median of the windows' rates (units per wall second).</param>
/// <param name="Min">Slowest window.</param>
/// <param name="Max">Fastest window.</param>
/// <param name="Windows">Timed windows.</param>
/// <param name="Units">Units (steps, samples, flip attempts) done in all windows.</param>
/// <param name="WallSeconds">Wall time of all windows.</param>
/// <param name="CpuSeconds">Process CPU time during all windows.</param>
public sealed record WindowedRate(double Median, double Min, double Max, int Windows, long Units, double WallSeconds, double CpuSeconds)
{
    /// <summary>Units per process-CPU second over all windows.</summary>
    public double PerCpuSecond => Units / CpuSeconds;

    /// <summary>"median (min-max over k windows)".</summary>
    public string Describe(string format = "G4") => FormattableString.Invariant(
        $"{Median.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} ({Min.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}-{Max.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} over {Windows} windows, {PerCpuSecond.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} per CPU second)");

    /// <summary>
    /// Runs <paramref name="work"/> (returning the units it did) untimed for <paramref name="warmupSeconds"/> and at least
    /// <paramref name="warmupUnits"/> units, then <paramref name="windows"/> timed windows of <paramref name="windowSeconds"/>.
    /// </summary>
    public static WindowedRate Measure(Func<long> work, int windows, double windowSeconds, double warmupSeconds, long warmupUnits = 1)
    {
        var recorder = new Recorder(windows, windowSeconds, warmupSeconds, warmupUnits);
        while (recorder.Add(work())) { }
        return recorder.Result();
    }

    /// <summary>The same measurement driven from outside (e.g. a training loop's progress callback): <see cref="Add"/> after each piece of work.</summary>
    public sealed class Recorder
    {
        private readonly int _windows;
        private readonly double _windowSeconds, _warmupSeconds;
        private readonly long _warmupUnits;
        private readonly List<double> _rates = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Process _process = Process.GetCurrentProcess();
        private TimeSpan _cpu0;
        private bool _warm;
        private long _warmDone, _windowDone, _units;
        private double _wall, _cpu;

        public Recorder(int windows, double windowSeconds, double warmupSeconds, long warmupUnits)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
            if (!(windowSeconds > 0) || !double.IsFinite(windowSeconds)) throw new ArgumentOutOfRangeException(nameof(windowSeconds), windowSeconds, "must be finite and > 0");
            (_windows, _windowSeconds, _warmupSeconds, _warmupUnits) = (windows, windowSeconds, warmupSeconds, warmupUnits);
        }

        /// <summary>Records <paramref name="units"/> just done; false once the last window is complete.</summary>
        public bool Add(long units)
        {
            if (!_warm)
            {
                _warmDone += units;
                if (_warmDone < _warmupUnits || _clock.Elapsed.TotalSeconds < _warmupSeconds) return true;
                _warm = true;
                _process.Refresh();
                _cpu0 = _process.TotalProcessorTime;
                _clock.Restart();
                return true;
            }
            _windowDone += units;
            double seconds = _clock.Elapsed.TotalSeconds;
            if (seconds < _windowSeconds) return true;
            _rates.Add(_windowDone / seconds);
            _units += _windowDone;
            _wall += seconds;
            _windowDone = 0;
            if (_rates.Count == _windows)
            {
                _process.Refresh();
                _cpu = (_process.TotalProcessorTime - _cpu0).TotalSeconds;
                return false;
            }
            _clock.Restart();
            return true;
        }

        public WindowedRate Result()
        {
            if (_rates.Count < _windows) throw new InvalidOperationException("WindowedRate.Recorder: the measurement is not complete.");
            var sorted = _rates.Order().ToArray();
            double median = _windows % 2 == 1 ? sorted[_windows / 2] : 0.5 * (sorted[_windows / 2 - 1] + sorted[_windows / 2]);
            _process.Dispose();
            return new WindowedRate(median, sorted[0], sorted[^1], _windows, _units, _wall, _cpu);
        }
    }
}
