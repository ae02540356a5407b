using System.Globalization;

namespace Boltzmann.Stages.L2hmc.Training;

/// <summary>Where <see cref="L2hmcTrainStage"/> puts its model snapshots (relative to its artifact).</summary>
public static class L2hmcModels
{
    public const string LossTable = "loss/l2hmc";

    /// <summary>The model at the end of era <paramref name="era"/> (trained up to beta[era]).</summary>
    public static string Trained(int era) => $"models/era-{era.ToString("D2", CultureInfo.InvariantCulture)}.ckpt";

    /// <summary>The model after the first retrain_steps steps of era <paramref name="era"/> (started from era − 1).</summary>
    public static string Retrained(int era) => $"models/era-{era.ToString("D2", CultureInfo.InvariantCulture)}-retrain.ckpt";
}
