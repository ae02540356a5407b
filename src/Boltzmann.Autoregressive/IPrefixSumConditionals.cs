namespace Boltzmann.Autoregressive;

/// <summary>
/// Marks architectures whose conditionals depend on the prefix x_&lt;i only through its sum M_&lt;i = sum_{s&lt;i} x_s
/// (CW_N, CW_inf and 1P; Biazzo 2023, section III.A: "The CW-ARNN depends only on the sum of the input variables").
/// Such a Q is a Markov chain in (i, M_&lt;i), which makes its exact variational free energy on the Curie-Weiss model
/// computable in O(N^2) without sampling (<see cref="Exact.CurieWeissVariationalFreeEnergy"/>).
/// </summary>
public interface IPrefixSumConditionals
{
}
