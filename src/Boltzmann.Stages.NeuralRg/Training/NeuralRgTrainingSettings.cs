using Boltzmann.Flows.Hierarchical;
using static TorchSharp.torch;

namespace Boltzmann.Stages.NeuralRg.Training;

/// <summary>
/// One NeuralRG training run (Li &amp; Wang 2018, Algorithm 1): the lattice, the network and the optimiser. Defaults of
/// the paper's public code: Adam with learning rate 1e-3 and weight decay 1e-3, batch 512, Z2-symmetrised density.
/// </summary>
public sealed record NeuralRgTrainingSettings
{
    public required int L { get; init; }
    public required double Beta { get; init; }
    public NeuralRgArchitecture Architecture { get; init; } = NeuralRgArchitecture.Mera;
    public bool Symmetrize { get; init; } = true;
    public int? Depth { get; init; }
    public int Couplings { get; init; } = 8;
    public int HiddenLayers { get; init; } = 1;
    public int HiddenWidth { get; init; } = 10;
    public long Epochs { get; init; } = 1000;
    public int Batch { get; init; } = 512;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-3;
    /// <summary>Learning-rate schedule of the Trainer (constant, or cosine annealing to 1% over the epochs).</summary>
    public Boltzmann.Learning.Training.LearningRateSchedule Schedule { get; init; } = Boltzmann.Learning.Training.LearningRateSchedule.Constant;
    public ScalarType Dtype { get; init; } = ScalarType.Float64;
    public long CheckpointInterval { get; init; } = 500;
    public long LogInterval { get; init; } = 10;
    /// <summary>Epochs between saved weight snapshots (for HMC alongside training); 0 = none.</summary>
    public long SnapshotInterval { get; init; }
    public ulong Seed { get; init; } = 1;

    /// <summary>The flow options of these settings.</summary>
    public NeuralRgOptions FlowOptions() => new()
    {
        L = L, Architecture = Architecture, Depth = Depth, Couplings = Couplings, HiddenLayers = HiddenLayers,
        HiddenWidth = HiddenWidth, Seed = Seed, Dtype = Dtype,
    };
}
