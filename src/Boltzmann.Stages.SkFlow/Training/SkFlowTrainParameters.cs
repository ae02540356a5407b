using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Boltzmann.Stages.SkFlow.Training;

/// <summary>
/// Parameters of <see cref="SkFlowTrainStage"/> (snake_case in pipeline files). Defaults follow Hartnett &amp; Mohseni
/// 2020, appendix A.1: L = 4 coupling layers, conditioners with 3 hidden layers of width N, Adam with learning rate
/// 1e-4, batches of 50, eps = 0.01 for the shift Δ = max(0, eps − λ_min(J)) (eq. 5).
/// </summary>
/// <param name="Objective">forward (eq. 19 on the PT dataset), reverse (eq. 17, self-sampling, Z2-symmetrised) or online (eq. 19 on fresh PT samples).</param>
/// <param name="Temperatures">Temperatures T = 1/β to train a flow for; for forward/online each must be on the samples upstream's ladder.</param>
/// <param name="Instances">Instance indices to train (null = every instance of the instances upstream).</param>
/// <param name="Epsilon">eps of eq. 5.</param>
/// <param name="Layers">Coupling layers L.</param>
/// <param name="HiddenLayers">Hidden layers of each conditioner MLP.</param>
/// <param name="HiddenWidth">Width of the hidden layers (null = N).</param>
/// <param name="Steps">Adam steps per flow.</param>
/// <param name="Batch">Minibatch size.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="Dtype">"float64" or "float32".</param>
/// <param name="CheckpointInterval">Steps between checkpoints (in the stage's scratch directory).</param>
/// <param name="LogInterval">Steps between loss-log rows.</param>
/// <param name="Holdout">Fraction of each chain's PT configurations (its last samples) held out for the held-out NLL.</param>
/// <param name="EvalInterval">Steps between held-out NLL evaluations (a multiple of <paramref name="LogInterval"/>).</param>
/// <param name="SweepsPerSample">Online: PT sweeps between consecutive online samples.</param>
/// <param name="MaxLossRise">Divergence guard: stop when the smoothed loss rises this far (nats) above its best (null = N).</param>
public sealed record SkFlowTrainParameters(
    FlowObjective Objective,
    double[] Temperatures,
    int[]? Instances,
    double Epsilon,
    int Layers,
    int HiddenLayers,
    int? HiddenWidth,
    long Steps,
    int Batch,
    double LearningRate,
    string Dtype,
    long CheckpointInterval,
    long LogInterval,
    double Holdout,
    long EvalInterval,
    int SweepsPerSample,
    double? MaxLossRise)
{
    public static readonly IReadOnlyList<string> Objectives = ["forward", "reverse", "online"];

    public static readonly IReadOnlyList<string> Dtypes = ["float64", "float32"];

    /// <summary>The torch dtype of <see cref="Dtype"/>.</summary>
    [JsonIgnore] public ScalarType ScalarType => Dtype == "float32" ? TorchSharp.torch.ScalarType.Float32 : TorchSharp.torch.ScalarType.Float64;

    /// <summary>Whether this objective reads the PT dataset (training data and/or the held-out set).</summary>
    [JsonIgnore] public bool NeedsSamples => Objective is FlowObjective.Forward or FlowObjective.Online;
}
