using Boltzmann.Statistics;

namespace Boltzmann.Stages.Arnn.Likelihood;

/// <summary>
/// likelihood/summary.json of <see cref="ArnnLikelihoodStage"/>: the setup (architecture, N, beta, data sizes,
/// parameter counts — learned, fixed and the closed form), the final negative log-likelihoods per configuration
/// (nats; per spin = / N) with errors, and the coupling recovery before and after training (Fig. 6).
/// </summary>
public sealed record LikelihoodSummary(
    string Architecture,
    int N,
    double Beta,
    int Instance,
    int Chains,
    int TrainingSamples,
    int HoldoutSamples,
    long Steps,
    double Epochs,
    long TrainableParameters,
    long FixedParameters,
    long TrainableParametersFormula,
    Estimate TrainingNll,
    Estimate HoldoutNll,
    double InitialHoldoutNll,
    Estimate PearsonAbs,
    Estimate SpearmanAbs,
    Estimate PearsonSigned,
    Estimate Slope,
    Estimate Intercept,
    Estimate InitialPearsonAbs,
    double TrainingSeconds);
