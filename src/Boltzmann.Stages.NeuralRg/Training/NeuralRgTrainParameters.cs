using System.Text.Json.Serialization;
using Boltzmann.Flows.Hierarchical;
using static TorchSharp.torch;

namespace Boltzmann.Stages.NeuralRg.Training;

/// <summary>
/// Parameters of <see cref="NeuralRgTrainStage"/> (snake_case in pipeline files). Defaults follow the paper's public
/// code (README command: 16 x 16 at T_c, batch 512, Adam lr 1e-3, weight decay 1e-3, hidden width 10) with the
/// supplement's 8 couplings per block.
/// </summary>
/// <param name="Sizes">Linear sizes L (powers of two, &gt;= 2).</param>
/// <param name="Beta">Inverse temperature (default the critical beta_c = ln(1 + sqrt 2)/2).</param>
/// <param name="Architectures">"mera", plus "tebd" (the disentangler-only reference at equal parameter count) when tebd_reference is true.</param>
/// <param name="Symmetrize">Train the Z2 mixture q_sym (supplement eqs. S2-S4).</param>
/// <param name="Depth">Depth cut-off: number of scales (null = log2 L).</param>
/// <param name="SnapshotInterval">Epochs between weight snapshots used by the HMC run alongside training.</param>
public sealed record NeuralRgTrainParameters(
    int[] Sizes,
    double Beta,
    string[] Architectures,
    bool Symmetrize,
    int? Depth,
    int Couplings,
    int HiddenLayers,
    int HiddenWidth,
    long Epochs,
    int Batch,
    double LearningRate,
    double WeightDecay,
    string Dtype,
    long CheckpointInterval,
    long LogInterval,
    long SnapshotInterval)
{
    public static readonly IReadOnlyList<string> ArchitectureNames = ["mera", "tebd"];

    public static readonly IReadOnlyList<string> Dtypes = ["float64", "float32"];

    [JsonIgnore] public ScalarType ScalarType => Dtype == "float32" ? TorchSharp.torch.ScalarType.Float32 : TorchSharp.torch.ScalarType.Float64;

    public static NeuralRgArchitecture Architecture(string name) => name == "tebd" ? NeuralRgArchitecture.Tebd : NeuralRgArchitecture.Mera;

    /// <summary>The file key of one trained model, e.g. "L8-mera".</summary>
    public static string Key(int l, string architecture) => $"L{l}-{architecture}";
}
