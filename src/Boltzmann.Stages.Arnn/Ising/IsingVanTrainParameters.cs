using Boltzmann.Autoregressive.Training;

namespace Boltzmann.Stages.Arnn.Ising;

/// <summary>
/// Parameters of <see cref="IsingVanTrainStage"/>: the periodic L × L Ising lattice (J = 1, no field), the autoregressive
/// architectures (paper names, e.g. "MADE_21, PixelCNN_3_8_2"), the annealing schedule beta_start, beta_start +
/// beta_step, ... &lt;= beta_max with <c>epochs</c> Adam steps of <c>batch</c> samples per temperature, and the
/// temperatures whose trained network is kept (<c>evaluate_betas</c>, all of the schedule when empty).
/// </summary>
public sealed record IsingVanTrainParameters(
    int L, string[] Architectures, double BetaStart, double BetaStep, double BetaMax, int Epochs, int Batch,
    double LearningRate, double[] EvaluateBetas)
{
    public AnnealingSchedule Schedule => new(BetaStart, BetaStep, BetaMax, Epochs);

    /// <summary>Schedule indices of the kept temperatures, in training order.</summary>
    public int[] KeptIndices()
    {
        var s = Schedule;
        return EvaluateBetas.Length == 0 ? Enumerable.Range(0, s.Count).ToArray() : EvaluateBetas.Select(s.IndexOf).Order().ToArray();
    }

    /// <summary>Relative path of the network of architecture <paramref name="architecture"/> after temperature <paramref name="index"/>.</summary>
    public static string SnapshotPath(string architecture, int index) => Path.Combine("models", architecture, $"beta-{index:D3}.bin");
}
