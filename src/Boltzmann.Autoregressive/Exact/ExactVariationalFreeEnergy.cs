namespace Boltzmann.Autoregressive.Exact;

/// <summary>
/// The variational free energy F[Q] = E_Q[H] - S[Q] / beta of an autoregressive model, computed exactly (no sampling).
/// </summary>
/// <param name="FreeEnergy">F[Q] = sum_x Q(x) (ln Q(x) + beta H(x)) / beta (Biazzo 2023, eq. 1, divided by beta); F[Q] &gt;= F.</param>
/// <param name="Energy">E_Q[H].</param>
/// <param name="Entropy">S[Q] = -E_Q[ln Q].</param>
/// <param name="MagnetizationProbabilities">Q(M) for M = -N, -N+2, ..., N (index k: M = 2k - N).</param>
public sealed record ExactVariationalFreeEnergy(double FreeEnergy, double Energy, double Entropy, double[] MagnetizationProbabilities);
