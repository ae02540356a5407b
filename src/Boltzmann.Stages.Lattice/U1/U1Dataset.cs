using Boltzmann.Data.Lattice;

namespace Boltzmann.Stages.Lattice.U1;

/// <summary>
/// Columns of the U(1) configuration dataset (one row per stored configuration): beta, n_lf, eps of the trajectory,
/// action S = beta sum_P (1 - cos x_P), plaquette = (1/V) sum_P cos x_P, q_z = (1/2pi) sum_P wrap(x_P),
/// q_r = (1/2pi) sum_P sin x_P, acceptance = min(1, e^{-dH}), delta_h, and links = the angles in (-pi, pi] as
/// float32[2*L*L] in order mu*V + x*L + t (torch shape [2, L, L]).
/// </summary>
public static class U1Dataset
{
    public const string Directory = "configurations";
    public const string Beta = "beta", NLf = "n_lf", Eps = "eps", Action = "action", Plaquette = "plaquette", QZ = "q_z", QR = "q_r",
        Acceptance = "acceptance", DeltaH = "delta_h";

    public static LatticeDatasetSchema Schema(int l) => new([Beta, NLf, Eps, Action, Plaquette, QZ, QR, Acceptance, DeltaH], "links", [2, l, l]);
}
