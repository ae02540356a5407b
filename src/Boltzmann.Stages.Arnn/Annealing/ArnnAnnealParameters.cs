namespace Boltzmann.Stages.Arnn.Annealing;

/// <summary>
/// Parameters of <see cref="ArnnAnnealStage"/> (Biazzo 2023, "Results"). <c>model</c> is "curie_weiss" (sizes, j, h) or
/// "sk" (the instances of the upstream sk-instances stages <c>instances</c>, <c>instances_2</c>, ...). The annealing
/// schedule runs from beta_start in steps of beta_step to beta_max with <c>epochs</c> Adam steps of <c>batch</c> samples
/// per temperature; every temperature (or only <c>evaluate_betas</c>, plus the <c>overlap_betas</c>) is evaluated from
/// <c>samples</c> ancestral samples; P(q) is histogrammed at <c>overlap_betas</c>; SK instances with N &lt;= exact_max_n
/// are also compared with exact enumeration.
/// </summary>
public sealed record ArnnAnnealParameters(
    string Model,
    int[] Sizes,
    double J,
    double H,
    string[] Architectures,
    double BetaStart,
    double BetaStep,
    double BetaMax,
    int Epochs,
    int Batch,
    double LearningRate,
    int Samples,
    double[] EvaluateBetas,
    double[] OverlapBetas,
    string Dtype,
    int ExactMaxN)
{
    public const string CurieWeiss = "curie_weiss";
    public const string Sk = "sk";

    public bool IsCurieWeiss => Model == CurieWeiss;

    /// <summary>The networks' precision (<see cref="Dtype"/>): float64 (default) or float32 (the faster training precision).</summary>
    public TorchSharp.torch.ScalarType TrainingDType() =>
        Dtype == "float64" ? TorchSharp.torch.ScalarType.Float64 : TorchSharp.torch.ScalarType.Float32;
}
