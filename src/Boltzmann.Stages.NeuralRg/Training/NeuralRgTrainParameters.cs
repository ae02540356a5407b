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
/// <param name="Schedule">Learning-rate schedule: "constant" or "cosine" (annealed to 1% of learning_rate at the last epoch).</param>
/// <param name="Z2Comparison">Also train, per L, the MERA with the opposite density (q instead of q_sym or vice
/// versa), the comparison of supplement eqs. S2-S4; it enters the free-energy curves and the ln Z table.</param>
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
    long SnapshotInterval,
    bool Z2Comparison = false,
    string Schedule = "constant")
{
    public static readonly IReadOnlyList<string> Schedules = ["constant", "cosine"];

    public static readonly IReadOnlyList<string> ArchitectureNames = ["mera", "tebd"];

    public static readonly IReadOnlyList<string> Dtypes = ["float64", "float32"];

    [JsonIgnore] public ScalarType ScalarType => Dtype == "float32" ? TorchSharp.torch.ScalarType.Float32 : TorchSharp.torch.ScalarType.Float64;

    public static NeuralRgArchitecture Architecture(string name) => name == "tebd" ? NeuralRgArchitecture.Tebd : NeuralRgArchitecture.Mera;

    /// <summary>The file key of one trained model, e.g. "L8-mera", or "L8-mera-noz2" / "L8-mera-z2" for the Z2 comparison model.</summary>
    public static string Key(int l, string architecture, string? variant = null) => variant is null ? $"L{l}-{architecture}" : $"L{l}-{architecture}-{variant}";

    /// <summary>The variant name of the Z2 comparison model with density <paramref name="symmetrize"/>.</summary>
    public static string Z2Variant(bool symmetrize) => symmetrize ? "z2" : "noz2";
}
