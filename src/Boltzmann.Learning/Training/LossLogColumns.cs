namespace Boltzmann.Learning.Training;

/// <summary>
/// The loss log as a plain column table (one array per column, equal lengths), which the pipeline layer
/// turns into figure data (x = <see cref="Step"/>, y = <see cref="Loss"/> or an extra).
/// </summary>
public sealed record LossLogColumns(
    long[] Step,
    double[] Loss,
    double[] GradientNorm,
    double[] LearningRate,
    double[] ElapsedSeconds,
    IReadOnlyDictionary<string, double[]> Extras);
