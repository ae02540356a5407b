namespace Boltzmann.Stages.NeuralRg.Training;

/// <summary>One entry of the training stage's index <c>models.json</c>: a trained flow and where its outputs are.</summary>
public sealed record TrainedModel(int L, string Architecture, double Beta, bool Symmetrize, string Checkpoint, string LossTable,
                                  long[] SnapshotEpochs, string SnapshotDirectory, double ExactFreeEnergy, double FinalLoss,
                                  double StepsPerSecond)
{
    public const string IndexFile = "models.json";
}
