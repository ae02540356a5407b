namespace Boltzmann.Benchmarks.Autoregressive;

/// <summary>Measured throughput of one architecture (all rates in configurations per second).</summary>
/// <param name="Architecture">Paper name, e.g. SK_1RSB.</param>
/// <param name="N">Number of spins.</param>
/// <param name="Batch">Batch size of every call.</param>
/// <param name="ParameterCount">All weights and biases (fixed and learned).</param>
/// <param name="TrainableParameterCount">Learned weights and biases.</param>
/// <param name="SamplesPerSecond">Ancestral sampling (samples with their ln Q).</param>
/// <param name="LogProbPerSecond">Teacher-forced ln Q of given configurations, without gradient.</param>
/// <param name="GradientPerSecond">Teacher-forced ln Q plus back-propagation of its batch mean (the differentiable part of a
/// training step); null when the architecture has nothing to learn (CW_N).</param>
/// <param name="Threads">TorchSharp intra-op threads during the measurement.</param>
/// <param name="TrainingStepsPerSecond">Complete variational training steps per second (ancestral sampling of the batch,
/// ln Q with autograd, the REINFORCE backward pass and the Adam update, through the shared Trainer); null for CW_N.</param>
/// <param name="Dtype">The model's dtype.</param>
/// <param name="TrainingStepsPerCpuSecond">The same steps per second of the process's CPU time (on a shared machine the
/// wall-clock rate drops with the load, this one stays roughly put); null for CW_N.</param>
public sealed record AutoregressiveThroughput(
    string Architecture, int N, long Batch, long ParameterCount, long TrainableParameterCount,
    double SamplesPerSecond, double LogProbPerSecond, double? GradientPerSecond, int Threads, double? TrainingStepsPerSecond = null,
    string Dtype = "Float64", double? TrainingStepsPerCpuSecond = null);
