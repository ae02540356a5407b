namespace Boltzmann.Spins;

/// <summary>
/// Recognises the Curie-Weiss model H = −h Σ_i x_i − (J/N) Σ_{i&lt;j} x_i x_j among pairwise Hamiltonians
/// (J_ij = J/N for i ≠ j, h_i = h): the CW_N and CW_inf architectures of Biazzo 2023 (eqs. 14-18) exist only for it.
/// </summary>
public static class CurieWeissCouplings
{
    /// <summary>
    /// Recovers (J, h) when every off-diagonal coupling equals J/N and every field equals h (to 1e-12 relative);
    /// false for any other pairwise Hamiltonian.
    /// </summary>
    public static bool TryExtract(IPairwiseCouplings instance, out double j, out double h)
    {
        ArgumentNullException.ThrowIfNull(instance);
        int n = instance.N;
        var c = instance.Couplings;
        var f = instance.Fields;
        double jn = n > 1 ? c[1] : 0.0;
        h = f[0];
        j = jn * n;
        double cTol = 1e-12 * Math.Max(1.0, Math.Abs(jn)), hTol = 1e-12 * Math.Max(1.0, Math.Abs(h));
        for (int a = 0; a < n; a++)
        {
            if (Math.Abs(f[a] - h) > hTol) return false;
            for (int b = 0; b < n; b++)
                if (a != b && Math.Abs(c[a * n + b] - jn) > cTol) return false;
        }
        return true;
    }
}
