namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The shape shared by the conditionals of CW_inf and 1P (Biazzo 2023, section III.A and section IV), which depend on
/// the prefix x_&lt;i only through its sum M_&lt;i = sum_{s&lt;i} x_s:
/// <code>
/// logit_i(M) = (M c + b) + w_i phi(M),   phi = sgn (CW_inf: b = 2 beta h, c = 2 beta J / N)  or  phi(M) = M (1P: b = c = 0)
/// </code>
/// with the learned weights w_i. Evaluated in this order (the libtorch composition's), so the fused kernel rounds as it does.
/// </summary>
/// <param name="Bias">The shared bias b.</param>
/// <param name="Slope">The shared weight c of M.</param>
/// <param name="Feature">phi: sgn(M) with sgn(0) = 0, or M itself.</param>
internal readonly record struct PrefixSumLogitForm(double Bias, double Slope, PrefixSumFeature Feature);

/// <summary>The function phi(M) of the prefix sum that the learned weight w_i multiplies (<see cref="PrefixSumLogitForm"/>).</summary>
internal enum PrefixSumFeature
{
    /// <summary>phi(M) = sgn(M), sgn(0) = 0 (CW_inf).</summary>
    Sign,

    /// <summary>phi(M) = M (1P).</summary>
    Identity,
}
