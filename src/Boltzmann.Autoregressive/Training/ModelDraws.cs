namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// Independent draws of an autoregressive network at one inverse temperature (<see cref="ModelEvaluation.Draw"/>):
/// per sample the total energy H (not per spin), ln p~ = −βH and ln Q; with a Z2-symmetric Hamiltonian also ln p~ and
/// ln q_sym of the draws of the symmetrised proposal q_sym(x) = (Q(x) + Q(−x))/2 (empty arrays otherwise).
/// </summary>
public sealed record ModelDraws(
    double Beta, double[] Energies, double[] LogTarget, double[] LogQ, double[] LogTargetSymmetric, double[] LogQSymmetric)
{
    /// <summary>Whether the symmetrised draws are present.</summary>
    public bool HasSymmetric => LogQSymmetric.Length > 0;
}
