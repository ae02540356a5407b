using Boltzmann.Physics.Numerics;

namespace Boltzmann.Physics.Exact;

/// <summary>
/// Exact finite-volume 2D U(1) lattice gauge theory, S = β Σ_P (1 − cos x_P), on a periodic L × T torus with
/// V = LT plaquettes (the target of Foreman, Jin and Osborn, "Deep learning Hamiltonian Monte Carlo",
/// arXiv:2105.03418, and of L2HMC). Derivation (docs/lattice-exact.md): on the torus the V plaquette angles of a
/// link configuration are independent except that their unwrapped sum vanishes; gauge fixing leaves, with the
/// link measure Π dx/2π, Z(θ) = ∫ Π_P dφ_P/2π e^{β Σ cos φ_P} e^{iθ Σ φ_P/2π} δ_{2π}(Σ_P φ_P), φ_P ∈ (−π, π] being the
/// wrapped plaquette angles whose sum / 2π is the integer charge Q_Z. Expanding the periodic delta in Fourier modes,
/// <code>
///   Z(θ) = Σ_{n∈ℤ} w_n(θ)^V,   w_n(θ) = (1/2π) ∫_{−π}^{π} dφ e^{β cos φ} e^{i(n + θ/2π)φ}.
/// </code>
/// At θ = 0, w_n = I_n(β) (Bessel, integer order), so Z = Σ_n I_n(β)^V and ⟨cos x_P⟩ = (1/V) ∂ ln Z/∂β
/// = Σ_n I_n^V (I_n'/I_n) / Σ_n I_n^V with I_n' = (I_{n−1} + I_{n+1})/2. ⟨Q_Z²⟩ = −∂²_θ ln Z at θ = 0 (Z'(0) = 0):
/// <code>
///   ⟨Q_Z²⟩ = Σ_n [V I_n^{V−1} a_n − V(V−1) I_n^{V−2} b_n²] / Σ_n I_n^V,
///   a_n = (1/π) ∫_0^π e^{β cos φ} (φ/2π)² cos nφ dφ,   b_n = −(1/π) ∫_0^π e^{β cos φ} (φ/2π) sin nφ dφ.
/// </code>
/// For non-integer ν = n + θ/2π the integral over the wrapped angle is NOT the Bessel I_ν (e^{iνφ} is not
/// 2π-periodic; I_ν carries an extra −sin(νπ)/π ∫_0^∞ e^{−β cosh t − νt} dt), so Z(θ) = Σ I_{n+θ/2π}^V is not the
/// theta-partition function: it gives a wrong ⟨Q²⟩, and summed over all n it does not even converge for θ ≠ 0
/// (I_{−ν} = I_ν + (2/π) sin(νπ) K_ν grows without bound as n → −∞). The exact value at L = 8, β = 2 is
/// ⟨Q_Z²⟩ = 1.2392989107. a_n and b_n are computed by composite Gauss–Legendre quadrature.
/// </summary>
public static class U1Exact
{
    private static readonly GaussLegendre Rule = new(24);
    private const int Panels = 32;

    /// <summary>ln Z = ln Σ_n I_n(β)^V for the link measure Π dx/2π (β ≥ 0, V = L T ≥ 3).</summary>
    public static double LnZ(int l, int t, double beta) => Evaluate(l, t, beta).LnZ;

    /// <summary>⟨cos x_P⟩ = (1/V) ∂ ln Z/∂β on the periodic L × T torus.</summary>
    public static double AveragePlaquette(int l, int t, double beta) => Evaluate(l, t, beta).AveragePlaquette;

    /// <summary>⟨Q_Z²⟩ of the wrapped-plaquette charge Q_Z = (1/2π) Σ_P wrap(x_P) on the periodic L × T torus.</summary>
    public static double MeanChargeSquared(int l, int t, double beta) => Evaluate(l, t, beta).MeanChargeSquared;

    /// <summary>ln Z, ⟨cos x_P⟩, ⟨Q_Z²⟩ and the topological susceptibility ⟨Q_Z²⟩/V.</summary>
    public static U1ExactResult Evaluate(int l, int t, double beta)
    {
        if (l < 1 || t < 1) throw new ArgumentOutOfRangeException(nameof(l), "Lattice sides must be positive.");
        if (!(beta >= 0) || double.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "Need 0 <= beta < inf.");
        int v = l * t;
        if (v < 3) throw new ArgumentOutOfRangeException(nameof(l), "Need at least three plaquettes (the winding-sector sums converge only algebraically for V = 2; a 1 x 1 torus has x_P = 0).");
        var (grid, weights) = Rule.CompositeGrid(0, Math.PI, Panels);
        // Scaled weights e^{β(cos φ − 1)} keep large β finite; every sum below is homogeneous in the scale.
        var boltz = new double[grid.Length];
        for (int i = 0; i < grid.Length; i++) boltz[i] = weights[i] * Math.Exp(beta * (Math.Cos(grid[i]) - 1)) / Math.PI;

        double i0 = ModifiedBesselInteger.Scaled(0, beta);
        double z = 0, dz = 0, q2 = 0;
        for (int n = 0; ; n++)
        {
            double inS = ModifiedBesselInteger.Scaled(n, beta);
            double r = inS / i0; // I_n/I_0
            double mult = n == 0 ? 1 : 2; // n and −n contribute equally
            double rV = Math.Pow(r, v);
            double derivRatio = 0.5 * (ModifiedBesselInteger.Scaled(n - 1, beta) + ModifiedBesselInteger.Scaled(n + 1, beta)) / inS;
            double a = 0, b = 0;
            for (int i = 0; i < grid.Length; i++)
            {
                double phi = grid[i], y = phi / (2 * Math.PI);
                a += boltz[i] * y * y * Math.Cos(n * phi);
                b -= boltz[i] * y * Math.Sin(n * phi);
            }
            a /= i0; b /= i0; // in units of I_0 like r
            double termZ = mult * rV;
            double termQ = mult * (v * Math.Pow(r, v - 1) * a - (double)v * (v - 1) * Math.Pow(r, v - 2) * b * b);
            z += termZ; dz += termZ * derivRatio; q2 += termQ;
            if (n > 2 && termZ < 1e-18 * z && Math.Abs(termQ) < 1e-18 * Math.Abs(q2) && Math.Pow(r, v - 2) < 1e-18) break;
            if (n > 10000) throw new InvalidOperationException("Winding-sector sum did not converge.");
        }
        double lnZ = v * (beta + Math.Log(i0)) + Math.Log(z);
        double q2Mean = q2 / z;
        return new U1ExactResult(lnZ, dz / z, q2Mean, q2Mean / v);
    }
}
