namespace Boltzmann.Physics.Exact;

/// <summary>
/// The free field (λ = 0) of lattice φ⁴ in the hopping form on a periodic L × T torus (site i = x T + t):
/// S = Σ_x [φ_x² − 2κ Σ_μ φ_x φ_{x+μ}] = φᵀAφ with A = 1 − κ 𝒜 (𝒜 the adjacency matrix of the torus, counting a
/// neighbour reached by ±μ twice when a side is 2). Gaussian integration gives Z = π^{V/2} det(A)^{−1/2}, and A is
/// diagonalised by lattice momenta p = (2πk/L, 2πj/T) with eigenvalues λ_p = 1 − 2κ(cos p₀ + cos p₁), so
/// <code>
///   ln Z = (V/2) ln π − ½ Σ_p ln λ_p,          valid for |κ| &lt; 1/4 (λ_0 = 1 − 4κ &gt; 0),
///   ⟨φ_x φ_y⟩ = ½ (A⁻¹)_{xy} = (1/2V) Σ_p e^{ip(x−y)} / λ_p,
///   ⟨m²⟩ = ⟨(Σφ/V)²⟩ = 1/(2V(1 − 4κ)),   ⟨S⟩ = V/2,   ∂ ln Z/∂κ = Σ_p (cos p₀ + cos p₁)/λ_p = ⟨2 Σ_x Σ_μ φ_x φ_{x+μ}⟩.
/// </code>
/// The free point is where a flow should reach ESS → 1 (Nicoli et al., arXiv:2007.07115) and an exact check of HMC.
/// </summary>
public static class FreeScalarField
{
    /// <summary>ln Z = (V/2) ln π − ½ Σ_p ln(1 − 2κ(cos p₀ + cos p₁)).</summary>
    public static double LnZ(int l, int t, double kappa)
    {
        Validate(l, t, kappa);
        double sum = 0;
        foreach (double c in MomentumCosines(l, t)) sum += Math.Log(1 - 2 * kappa * c);
        return 0.5 * l * t * Math.Log(Math.PI) - 0.5 * sum;
    }

    /// <summary>∂ ln Z/∂κ = Σ_p (cos p₀ + cos p₁)/(1 − 2κ(cos p₀ + cos p₁)).</summary>
    public static double DLnZDKappa(int l, int t, double kappa)
    {
        Validate(l, t, kappa);
        double sum = 0;
        foreach (double c in MomentumCosines(l, t)) sum += c / (1 - 2 * kappa * c);
        return sum;
    }

    /// <summary>⟨φ(x, t) φ(x + dx, t + dt)⟩ = (1/2V) Σ_p cos(p·d) / λ_p.</summary>
    public static double Propagator(int l, int t, double kappa, int dx, int dt)
    {
        Validate(l, t, kappa);
        double sum = 0;
        for (int k = 0; k < l; k++)
            for (int j = 0; j < t; j++)
            {
                double p0 = 2 * Math.PI * k / l, p1 = 2 * Math.PI * j / t;
                sum += Math.Cos(p0 * dx + p1 * dt) / (1 - 2 * kappa * (Math.Cos(p0) + Math.Cos(p1)));
            }
        return sum / (2.0 * l * t);
    }

    /// <summary>The full V × V covariance ⟨φ_i φ_j⟩ (row-major, site i = x T + t).</summary>
    public static double[] Covariance(int l, int t, double kappa)
    {
        int v = l * t;
        var g = new double[l * t];
        for (int dx = 0; dx < l; dx++)
            for (int dt = 0; dt < t; dt++) g[dx * t + dt] = Propagator(l, t, kappa, dx, dt);
        var c = new double[v * v];
        for (int x = 0; x < l; x++)
            for (int y = 0; y < t; y++)
                for (int x2 = 0; x2 < l; x2++)
                    for (int y2 = 0; y2 < t; y2++)
                        c[(x * t + y) * v + x2 * t + y2] = g[((x2 - x + l) % l) * t + (y2 - y + t) % t];
        return c;
    }

    /// <summary>⟨m²⟩ = ⟨(Σ_x φ_x / V)²⟩ = 1/(2V(1 − 4κ)): only the zero mode contributes.</summary>
    public static double MeanMagnetizationSquared(int l, int t, double kappa)
    {
        Validate(l, t, kappa);
        return 1 / (2.0 * l * t * (1 - 4 * kappa));
    }

    /// <summary>⟨S⟩/V = 1/2 (equipartition for the quadratic action φᵀAφ).</summary>
    public static double ActionDensity(int l, int t, double kappa)
    {
        Validate(l, t, kappa);
        return 0.5;
    }

    private static IEnumerable<double> MomentumCosines(int l, int t)
    {
        for (int k = 0; k < l; k++)
            for (int j = 0; j < t; j++)
                yield return Math.Cos(2 * Math.PI * k / l) + Math.Cos(2 * Math.PI * j / t);
    }

    private static void Validate(int l, int t, double kappa)
    {
        if (l < 1 || t < 1) throw new ArgumentOutOfRangeException(nameof(l), "Lattice sides must be positive.");
        if (!(Math.Abs(kappa) < 0.25)) throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "The free field is normalisable only for |kappa| < 1/4.");
    }
}
