using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Benchmarks.Cost;

namespace Boltzmann.Benchmarks.Autoregressive;

/// <summary>
/// The counted work of one variational training step of an autoregressive network at (N, batch B): ancestral sampling
/// of B configurations, the teacher-forced ln Q of the same batch, its backward pass and the Adam step (the step
/// <see cref="AutoregressiveBenchmark"/> times). Counts follow the architectures' definitions (Biazzo 2023, eqs. 5-10
/// and 20; MADE: Germain et al. 2015), not an implementation; lower-order terms (O(B N) bookkeeping, the objective) are
/// included where they are the whole cost (CW_inf, 1P).
/// </summary>
/// <remarks>
/// Conventions (<see cref="StepCost"/>): a log-sigmoid, sigmoid, exp or square root evaluated by libtorch is one
/// transcendental; a log-sigmoid evaluated inside a fused C# kernel (e^{-|z|} and ln(1 + u) together) is one fused
/// log-sigmoid, timed at the kernel's own measured rate; a multiply-add in a dense product is 2 FLOPs; other arithmetic
/// counts one element-wise operation per result. Every step also evaluates the energy of its batch (the objective,
/// x J x^T / 2 + h x: one [B, N] x [N, N] product, 2 B N^2 FLOPs, in float64; counted at the model dtype's GEMM rate,
/// which for float32 models makes the limit optimistic, still a bound) and draws B N uniforms for the sampler
/// (4 element-wise operations each). Per architecture, with P = N(N-1)/2 pairs:
/// <list type="bullet">
/// <item>SK_RS / SK_kRSB (L = k+1 nested layers, 2 branches; the fused kernel <c>SkBranchKernel</c>): sampling and the
/// teacher-forced pass each evaluate 2 L B P fused log-sigmoids (one per layer, branch and pair i &lt; l) with an affine
/// map (2 ops) and a sum (1 op) each, plus the prefix fields x^1_il (eq. 10: one multiply-add per pair and sample, 2 ops).
/// The backward pass recomputes the chain, L exponentials and L - 1 logarithms per pair and branch, counted as L - 1/2
/// fused log-sigmoids, and forms one sigmoid per layer from the stored exponential with ~7 operations per layer (a
/// division, affine map, chain rule, two gradient accumulations). The skip connection 2 beta (h_i + x^1_i) is one
/// triangular product, 2 B N^2 FLOPs; the output ln sigma(x_i logit_i) and the sampler's sigmoid are libtorch
/// transcendentals (4 B N). Adam runs over the stored [k+1, N, N] tensors, 4 L N^2 + 2N numbers.</item>
/// <item>1L: one masked [B, N] x [N, N] product forward (2 B N^2), its weight gradient backward (2 B N^2), and
/// ancestral sampling as N rank-1 updates of the pre-activations (2 B N^2 element-wise).</item>
/// <item>MADE_dw (H = w N hidden units per layer): forward F = 2B(N H + (d-1) H^2 + H N) FLOPs, backward 2F - 2 B N H
/// (no input gradient), sampling F (each hidden unit computed once, position by position), one PReLU per hidden unit.</item>
/// <item>CW_inf and 1P (the fused kernel <c>PrefixSumKernel</c>): one fused log-sigmoid per spin and sample while
/// sampling (the sampler runs in float64 whatever the model dtype; counted at the model dtype's rate, optimistic) and in
/// the teacher-forced pass, and half of one (the exponential of sigma(-t)) in the backward pass: 2.5 B N; O(B N)
/// element-wise work (prefix sums, sign, the affine logit, the chain rule: ~18 B N).</item>
/// <item>CW_N has no learned parameter: its step is sampling plus the teacher-forced ln Q (table look-ups, O(B N)).</item>
/// </list>
/// Adam: 11 element-wise operations and one square root per learned number.
/// </remarks>
public static class AutoregressiveCostModel
{
    private const double AdamOpsPerParameter = 11;

    /// <summary>The counted work of one training step (sample + ln Q + backward + Adam) of <paramref name="architecture"/>.</summary>
    public static StepCost TrainingStep(AutoregressiveArchitecture architecture, int n, long batch)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Cost model: N must be >= 1.");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "Cost model: the batch must be >= 1.");
        double N = n, B = batch, pairs = N * (N - 1) / 2, bn = B * N;
        string workload = $"{architecture.Name} training step, N = {n}, batch {batch}";
        // Log-sigmoid of x_i logit_i in ln Q (forward) and its sigmoid (backward), and the sampler's sigmoid + log-sigmoid.
        double outputTranscendentals = 4 * bn;
        double outputOps = 6 * bn;
        // The objective's energy of the batch (one dense product) and the sampler's uniforms.
        double energyFlops = 2 * B * N * N;
        double objectiveOps = 2 * bn + 4 * bn;
        switch (architecture.Kind)
        {
            case ArchitectureKind.SkRs:
            case ArchitectureKind.SkKRsb:
            {
                double layers = architecture.Kind == ArchitectureKind.SkRs ? 1 : architecture.K + 1;
                double perPass = 2 * layers * B * pairs;                   // log-sigmoids of one pass (sampling or forward)
                double fused = 2 * perPass + 2 * (layers - 0.5) * B * pairs; // + the backward's recomputed chain
                double elementwise = 2 * (3 * perPass + 2 * B * pairs)     // sampling and forward: affine + sum, prefix fields
                                     + 7 * 2 * layers * B * pairs          // backward per layer and branch
                                     + outputOps + objectiveOps;
                double parameters = 4 * layers * N * N + 2 * N;
                return new StepCost(workload, Flops: 2 * B * N * N + energyFlops, outputTranscendentals + parameters,
                                    elementwise + AdamOpsPerParameter * parameters, fused);
            }
            case ArchitectureKind.OneLayer:
            {
                double parameters = N * N + N;
                return new StepCost(workload, Flops: 4 * B * N * N + energyFlops, outputTranscendentals + parameters,
                                    2 * B * N * N + outputOps + objectiveOps + AdamOpsPerParameter * parameters);
            }
            case ArchitectureKind.Made:
            {
                double h = (double)architecture.Width * N, d = architecture.Depth;
                double forward = 2 * B * (N * h + (d - 1) * h * h + h * N);
                double parameters = h * N + h + (d - 1) * (h * h + h) + N * h + N + d * h;
                double prelu = d * B * h;
                return new StepCost(workload, Flops: forward + (2 * forward - 2 * B * N * h) + forward + energyFlops, outputTranscendentals + parameters,
                                    3 * 2 * prelu + 2 * B * N * h + outputOps + objectiveOps + AdamOpsPerParameter * parameters);
            }
            case ArchitectureKind.CwInf:
            case ArchitectureKind.OneParameter:
            {
                double parameters = N;
                return new StepCost(workload, Flops: energyFlops, Transcendentals: parameters,
                                    18 * bn + objectiveOps + AdamOpsPerParameter * parameters, FusedLogSigmoids: 2.5 * bn);
            }
            case ArchitectureKind.CwN:
                return new StepCost($"{architecture.Name} sample + ln Q (no learned parameter), N = {n}, batch {batch}",
                                    Flops: 0, 3 * bn, 10 * bn + 4 * bn);
            default:
                throw new ArgumentException($"Cost model: {architecture.Name} is not modelled (the paper's architectures are).", nameof(architecture));
        }
    }
}
