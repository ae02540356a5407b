using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Numerics;

/// <summary>
/// The prior of the flow: an isotropic unit Gaussian on R^N (Hartnett &amp; Mohseni 2020, Appendix A.1), whose
/// Hamiltonian density is H_{G^(0)}(z) = zᵀz/2 (Eq. 12) and partition function Z_G = (2π)^{N/2} (Eq. 14).
/// </summary>
public static class StandardNormal
{
    /// <summary>ln(2π).</summary>
    public const double LogTwoPi = 1.8378770664093454835606594728112;

    /// <summary>ln N(z; 0, I) = −zᵀz/2 − (N/2) ln 2π per row of z [batch, N].</summary>
    public static Tensor LogDensity(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.dim() != 2)
            throw new ArgumentException($"StandardNormal.LogDensity: z must be [batch, N]; got shape [{string.Join(", ", z.shape)}].", nameof(z));
        long n = z.shape[1];
        using var scope = NewDisposeScope();
        var result = z.square().sum(1).Times(-0.5).PlusConstant(-0.5 * n * LogTwoPi);
        return result.MoveToOuterDisposeScope();
    }
}
