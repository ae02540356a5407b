using System.Globalization;

namespace Boltzmann.Learning.Training;

/// <summary>
/// Applies a <see cref="DivergenceRule"/> to the sequence of step losses. Deterministic and stateful only
/// through <see cref="DivergenceMonitorState"/>, which checkpoints carry.
/// </summary>
public sealed class DivergenceMonitor
{
    private readonly DivergenceRule _rule;
    private readonly double _alpha;
    private long _count;
    private double _smoothed;
    private double _best = double.PositiveInfinity;

    public DivergenceMonitor(DivergenceRule rule)
    {
        _rule = rule ?? throw new ArgumentNullException(nameof(rule));
        var problems = rule.Problems().ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(rule));
        _alpha = 2.0 / (rule.SmoothingSteps + 1);
    }

    public DivergenceMonitorState State => new(_count, _smoothed, _best);

    public void Restore(DivergenceMonitorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count < 0) throw new ArgumentException($"DivergenceMonitorState.Count {state.Count} must be >= 0.", nameof(state));
        _count = state.Count;
        _smoothed = state.Smoothed;
        _best = state.BestSmoothed;
    }

    /// <summary>
    /// Records one loss; returns null when training may continue, otherwise why it diverged. Non-finite losses
    /// always diverge.
    /// </summary>
    public string? Observe(double loss)
    {
        if (!double.IsFinite(loss))
            return $"loss is {Format(loss)} (not finite)";
        if (_rule.MaxLoss is double max && loss > max)
            return $"loss {Format(loss)} exceeds DivergenceRule.MaxLoss = {Format(max)}";
        _smoothed = _count == 0 ? loss : _smoothed + _alpha * (loss - _smoothed);
        _count++;
        if (_rule.MaxRiseAboveBest is double rise && _count >= _rule.SmoothingSteps)
        {
            if (_smoothed < _best) _best = _smoothed;
            if (_smoothed - _best > rise)
                return $"smoothed loss {Format(_smoothed)} rose {Format(_smoothed - _best)} above its best {Format(_best)} " +
                       $"(DivergenceRule.MaxRiseAboveBest = {Format(rise)}, moving average over {_rule.SmoothingSteps} steps)";
        }
        return null;
    }

    internal static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
