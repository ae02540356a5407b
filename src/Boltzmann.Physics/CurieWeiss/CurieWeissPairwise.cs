using Boltzmann.Spins;
using Boltzmann.Physics.Sk;

namespace Boltzmann.Physics.CurieWeiss;

/// <summary>
/// The Curie-Weiss model H = -h sum_i x_i - (J/N) sum_{i&lt;j} x_i x_j written as a general pairwise Hamiltonian
/// (<see cref="SkInstance"/>: H = -sum_{i&lt;j} J_ij x_i x_j - sum_i h_i x_i with J_ij = J/N, h_i = h), so every
/// architecture, the SK ones included, can be built for it from one description.
/// </summary>
public static class CurieWeissPairwise
{
    /// <summary>Uniform couplings J_ij = J/N (i != j) and fields h_i = h.</summary>
    public static SkInstance Create(int n, double j, double h)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Curie-Weiss: N must be >= 1.");
        if (!double.IsFinite(j)) throw new ArgumentOutOfRangeException(nameof(j), j, "Curie-Weiss: J must be finite.");
        if (!double.IsFinite(h)) throw new ArgumentOutOfRangeException(nameof(h), h, "Curie-Weiss: h must be finite.");
        var couplings = new double[n * n];
        double jn = j / n;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                if (a != b) couplings[a * n + b] = jn;
        var fields = new double[n];
        Array.Fill(fields, h);
        return new SkInstance(n, couplings, fields);
    }

    /// <summary>
    /// Recovers (J, h) when every off-diagonal coupling equals J/N and every field equals h (to 1e-12 relative);
    /// false for any other pairwise Hamiltonian (<see cref="CurieWeissCouplings.TryExtract"/>).
    /// </summary>
    public static bool TryExtract(SkInstance instance, out double j, out double h) =>
        CurieWeissCouplings.TryExtract(instance, out j, out h);
}
