using Boltzmann.Data.Lattice;

namespace Boltzmann.Stages.Lattice.Phi4;

/// <summary>
/// Columns of the phi^4 configuration dataset (one row per stored configuration): kappa, action S, magnetisation
/// M = sum_x phi(x), hopping H = sum_x sum_mu phi(x) phi(x+mu) (so S_{kappa'} - S_kappa = -2 (kappa' - kappa) H),
/// acceptance = min(1, e^{-dH}) and delta_h of the trajectory that produced the configuration, and field = phi as
/// float32[L*T] in site order x*T + t (torch shape [L, T]).
/// </summary>
public static class Phi4Dataset
{
    public const string Directory = "configurations";
    public const string Kappa = "kappa", Action = "action", Magnetisation = "magnetisation", Hopping = "hopping", Acceptance = "acceptance", DeltaH = "delta_h";

    public static LatticeDatasetSchema Schema(int l, int t) => new([Kappa, Action, Magnetisation, Hopping, Acceptance, DeltaH], "field", [l, t]);
}
