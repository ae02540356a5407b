using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Numerics;

/// <summary>
/// The density of an isotropic unit Gaussian (Hartnett &amp; Mohseni 2020, Appendix A.1), whose Hamiltonian
/// density is H_{G^(0)}(z) = zᵀz/2 (Eq. 12) and partition function Z_G = (2π)^{N/2} (Eq. 14), with N the number
/// of entries of one event.
/// </summary>
public static class StandardNormal
{
    /// <summary>ln(2π).</summary>
    public const double LogTwoPi = 1.8378770664093454835606594728112;

    /// <summary>ln N(z; 0, I) = −zᵀz/2 − (N/2) ln 2π per event of z [batch, ..event] (summed over all non-batch dims).</summary>
    public static Tensor LogDensity(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.dim() < 2)
            throw new ArgumentException($"StandardNormal.LogDensity: z must be [batch, ..event]; got shape [{string.Join(", ", z.shape)}].", nameof(z));
        using var scope = NewDisposeScope();
        var rows = z.dim() == 2 ? z : z.flatten(1);
        long n = rows.shape[1];
        var result = rows.Squared().sum(1).Times(-0.5).PlusConstant(-0.5 * n * LogTwoPi);
        return result.MoveToOuterDisposeScope();
    }
}
