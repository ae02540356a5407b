namespace Boltzmann.Stages.Arnn.Ising;

/// <summary>What an <see cref="IsingNisEvaluateStage"/> run evaluated (written as setup.json beside its table, so the
/// figure stage needs no access to the training stage): lattice side L, architecture names by index, the training
/// epochs per temperature and batch of each training stage, and the evaluation samples.</summary>
public sealed record IsingNisSetup(int L, string[] Architectures, int[] Epochs, int[] Batch, int Samples)
{
    public const string File = "setup.json";
}
