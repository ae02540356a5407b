namespace Boltzmann.Learning.Training;

/// <summary>
/// The serialisable state of <see cref="DivergenceMonitor"/> (stored in every checkpoint, so a resumed run
/// stops at exactly the step an uninterrupted one would).
/// </summary>
/// <param name="Count">Losses observed so far.</param>
/// <param name="Smoothed">Exponential moving average of the loss (undefined while <paramref name="Count"/> = 0).</param>
/// <param name="BestSmoothed">Running minimum of the moving average once the rule is active (+∞ before).</param>
public sealed record DivergenceMonitorState(long Count, double Smoothed, double BestSmoothed);
