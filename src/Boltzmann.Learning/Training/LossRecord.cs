namespace Boltzmann.Learning.Training;

/// <summary>
/// One row of the loss log: the loss of 0-based step <paramref name="Step"/> (computed before that step's
/// update), the Euclidean norm of its gradient (before clipping), the learning rate used, the cumulative
/// training wall time, and the closure's extra scalars in <see cref="LossLog.ExtraNames"/> order.
/// </summary>
public sealed record LossRecord(long Step, double Loss, double GradientNorm, double LearningRate, double ElapsedSeconds, IReadOnlyList<double> Extras);
