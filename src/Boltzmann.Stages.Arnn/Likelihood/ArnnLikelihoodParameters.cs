namespace Boltzmann.Stages.Arnn.Likelihood;

/// <summary>
/// Parameters of <see cref="ArnnLikelihoodStage"/> (Biazzo 2023, Fig. 6 and SI section IV): which SK network
/// (SK_RS or SK_kRSB) with a learned first layer, the inverse temperature of its skip connection (must be a
/// temperature of the samples), which instance of the upstream data, the training schedule (steps of Adam with
/// minibatches of <c>batch</c> configurations at <c>learning_rate</c>), the scale of the small random initial
/// couplings, the held-out fraction (the last part of every chain, in time order), the held-out evaluation and
/// checkpoint intervals, and the dtype (float64: the SK networks compute in double precision).
/// </summary>
public sealed record ArnnLikelihoodParameters(
    string Architecture,
    double Beta,
    int Instance,
    int Steps,
    int Batch,
    double LearningRate,
    double InitScale,
    double Holdout,
    int LogInterval,
    int CheckpointInterval,
    string Dtype);
