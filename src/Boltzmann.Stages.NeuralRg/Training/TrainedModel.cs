namespace Boltzmann.Stages.NeuralRg.Training;

/// <summary>
/// One entry of the training stage's index <c>models.json</c>: a trained flow and where its outputs are.
/// <paramref name="Variant"/> is null for the main models and "noz2"/"z2" for the Z2 comparison MERA (trained with the
/// opposite density; it enters Fig. 3a and the ln Z table, not the HMC or Fig. 4).
/// </summary>
public sealed record TrainedModel(int L, string Architecture, double Beta, bool Symmetrize, string Checkpoint, string LossTable,
                                  long[] SnapshotEpochs, string SnapshotDirectory, double ExactFreeEnergy, double FinalLoss,
                                  double StepsPerSecond, string? Variant = null)
{
    /// <summary>The file key, e.g. "L8-mera" or "L8-mera-noz2".</summary>
    public string Key => NeuralRgTrainParameters.Key(L, Architecture, Variant);

    /// <summary>The series label in figures, e.g. "MERA L = 8" or "MERA without Z2 L = 8".</summary>
    public string Label => $"{Architecture.ToUpperInvariant()}{(Variant is null ? "" : Symmetrize ? " with Z2" : " without Z2")} L = {L}";

    public const string IndexFile = "models.json";
}
