using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Spins;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// SK_kRSB, the k-step replica-symmetry-breaking SK network (Biazzo 2023, eq. 20 and SI section III.B): k + 1 nested
/// log-sigmoid layers per branch, e.g. for 1RSB ln rho+- = sum_l w0 ln sigma(b_1 + w_1 ln sigma(b_2 + w_2 x^1_il)).
/// The paper uses k = 1, 2; any k &gt;= 1 is accepted.
/// </summary>
public sealed class SkKRsb : SkReplicaNetwork
{
    /// <param name="instance">Couplings and fields (the fixed first layer).</param>
    /// <param name="beta">Inverse temperature.</param>
    /// <param name="k">Replica-symmetry-breaking steps, &gt;= 1 (use <see cref="SkRs"/> for k = 0).</param>
    /// <param name="device">Device of the model (CPU when null).</param>
    /// <param name="init">CPU generator for the initial parameters; a fixed seed when null.</param>
    /// <param name="learnedCouplings">Null (default): first layer fixed to J (eqs. 8-10). Otherwise the first-layer
    /// coupling matrix is learned (the max-likelihood experiment of Fig. 6), initialised as it says.</param>
    public SkKRsb(IPairwiseCouplings instance, double beta, int k, Device? device = null, Generator? init = null, LearnedCouplings? learnedCouplings = null,
                  ScalarType dtype = ScalarType.Float64)
        : base(ArchitectureName(k), instance, beta, ValidK(k), device, init, learnedCouplings, dtype)
    {
    }

    public override string Architecture => ArchitectureName(K);

    /// <summary>"SK_1RSB", "SK_2RSB", ...</summary>
    public static string ArchitectureName(int k) => $"SK_{k}RSB";

    private static int ValidK(int k) =>
        k >= 1 ? k : throw new ArgumentOutOfRangeException(nameof(k), k, "SK_kRSB: k must be >= 1 (k = 0 is SK_RS).");
}
