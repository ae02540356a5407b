using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Spins;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// SK_RS, the replica-symmetric SK network (Biazzo 2023, eq. 20 with ln rho+-_RS = sum_l w0 ln sigma(b_1 + w_1 x^1_il);
/// SI section III.A, eqs. 19-28): one log-sigmoid layer per branch, 4(N - i) + 2 learned parameters per conditional.
/// With <c>learnedCouplings</c> the first-layer coupling matrix is learned too (see <see cref="LearnedCouplings"/>);
/// null (default) keeps it fixed to J.
/// </summary>
public sealed class SkRs(IPairwiseCouplings instance, double beta, Device? device = null, Generator? init = null, LearnedCouplings? learnedCouplings = null,
                         ScalarType dtype = ScalarType.Float64)
    : SkReplicaNetwork("SK_RS", instance, beta, 0, device, init, learnedCouplings, dtype)
{
    public override string Architecture => "SK_RS";

    /// <summary>Closed-form total parameter count (k = 0): 2N(N-1) + 2(N-1) learned + N(N-1)/2 + N fixed.</summary>
    public static long ParameterCountFormula(int n) => ParameterCountFormula(n, 0);
}
