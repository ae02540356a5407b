namespace Boltzmann.Benchmarks.Cost;

/// <summary>
/// The work one benchmarked step does, counted from the architecture (not measured): multiply-add FLOPs of its dense
/// products (2 per multiply-add), transcendental evaluations (exp, log, log-sigmoid, tanh, ...: each counted once,
/// whatever the library does inside) and other element-wise operations, over the whole step (forward, backward and
/// optimizer where the step has them). A machine's peak rates turn it into a lower bound on the step's time, the limit
/// the bench prints beside the measured figure.
/// </summary>
/// <param name="Workload">What the step is, e.g. "SK_2RSB training step, N = 200, batch 1000".</param>
/// <param name="Flops">Floating-point operations of dense products (GEMM, convolution), 2 per multiply-add.</param>
/// <param name="Transcendentals">Transcendental evaluations.</param>
/// <param name="ElementwiseOps">Other element-wise arithmetic (add, multiply, compare, select).</param>
/// <param name="FusedLogSigmoids">
/// Log-sigmoid evaluations (e^{-|z|} and ln(1 + u) together) done inside the fused C# kernels rather than by libtorch:
/// timed at the kernels' own measured rate (<see cref="MachinePeaks.FusedLogSigmoidsPerSecond"/>), not libtorch's exp rate.
/// </param>
public sealed record StepCost(string Workload, double Flops, double Transcendentals, double ElementwiseOps, double FusedLogSigmoids = 0);
