namespace Boltzmann.Physics.Exact;

/// <summary>
/// Exact thermodynamics of the 2D Ising model H = −Σ_⟨ij⟩ s_i s_j (J = 1) on a periodic n × m torus (2nm bonds,
/// Z = Σ_s e^{−βH}) from Kaufman's finite-lattice formula, B. Kaufman, "Crystal statistics. II. Partition function
/// evaluated by spinor analysis", Phys. Rev. 76 (1949) 1232, eq. (39) (in the form of P. D. Beale, "Exact
/// distribution of energies in the two-dimensional Ising model", Phys. Rev. Lett. 76 (1996) 78, eqs. (2)–(4)):
/// <code>
///   Z = ½ (2 sinh 2K)^{nm/2} (Z₁ + Z₂ + Z₃ + Z₄),   K = β,
///   Z₁ = Π_{r=0}^{n−1} 2 cosh(m γ_{2r+1}/2),  Z₂ = Π 2 sinh(m γ_{2r+1}/2),
///   Z₃ = Π_{r=0}^{n−1} 2 cosh(m γ_{2r}/2),    Z₄ = Π 2 sinh(m γ_{2r}/2),
///   cosh γ_k = cosh 2K coth 2K − cos(πk/n)  (γ_k &gt; 0 for k ≠ 0),   γ₀ = 2K + ln tanh K.
/// </code>
/// γ₀ is signed: it is negative for β &lt; β_c = ½ ln(1 + √2), so Z₄ is then negative. Taking γ₀ from the arccosh
/// (always ≥ 0) is wrong in the disordered phase (L = 4, β = 0.3: +4.4% in ln Z); see docs/lattice-exact.md.
/// E and C are analytic K-derivatives: each product is accumulated together with its first two derivatives
/// (product rule, no division by a possibly vanishing sinh), with a running scale so that large lattices do not
/// overflow. This is the exact reference of Li and Wang, "Neural Network Renormalization Group", PRL 121 (2018)
/// 260601 (arXiv:1802.02840), for the 2D Ising target.
/// </summary>
public static class IsingExact
{
    /// <summary>The critical coupling β_c = ½ ln(1 + √2) of the square lattice.</summary>
    public static readonly double CriticalBeta = 0.5 * Math.Log(1 + Math.Sqrt(2));

    /// <summary>ln Z of the periodic L × L lattice.</summary>
    public static double LnZ(int l, double beta) => Evaluate(l, l, beta).LnZ;

    /// <summary>⟨H⟩/N = −(1/N) ∂ ln Z/∂β on the periodic L × L lattice.</summary>
    public static double EnergyPerSite(int l, double beta) => Evaluate(l, l, beta).EnergyPerSite;

    /// <summary>C/N = β² (⟨H²⟩ − ⟨H⟩²)/N = (β²/N) ∂² ln Z/∂β² on the periodic L × L lattice.</summary>
    public static double SpecificHeatPerSite(int l, double beta) => Evaluate(l, l, beta).SpecificHeatPerSite;

    /// <summary>ln Z, its first two β-derivatives and the per-site energy and specific heat of the n × m torus.</summary>
    public static IsingThermodynamics Evaluate(int n, int m, double beta)
    {
        if (n < 1 || m < 1) throw new ArgumentOutOfRangeException(nameof(n), "Lattice sides must be positive.");
        if (!(beta > 0) || double.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "Kaufman's formula needs 0 < beta < inf.");
        double k = beta;
        double u = 2 * k;
        double sh = Math.Sinh(u), ch = Math.Cosh(u);
        // c(u) = cosh u coth u = sinh u + 1/sinh u and its u-derivatives.
        double c = sh + 1 / sh;
        double c1 = ch - ch / (sh * sh);
        double c2 = sh - 1 / sh + 2 * ch * ch / (sh * sh * sh);

        var terms = new ScaledProduct[4];
        for (int i = 0; i < 4; i++) terms[i] = ScaledProduct.One;
        for (int r = 0; r < n; r++)
        {
            // Odd momenta k = 2r + 1 feed Z₁ (cosh) and Z₂ (sinh); even k = 2r feed Z₃ and Z₄.
            var (gOdd, gOdd1, gOdd2) = Gamma(2 * r + 1, n, u, c, c1, c2);
            var (gEven, gEven1, gEven2) = Gamma(2 * r, n, u, c, c1, c2);
            terms[0] = terms[0].Times(CoshFactor(m, gOdd, gOdd1, gOdd2));
            terms[1] = terms[1].Times(SinhFactor(m, gOdd, gOdd1, gOdd2));
            terms[2] = terms[2].Times(CoshFactor(m, gEven, gEven1, gEven2));
            terms[3] = terms[3].Times(SinhFactor(m, gEven, gEven1, gEven2));
        }

        // Sum of the four products with a common scale; derivatives are with respect to u = 2K.
        double maxScale = terms.Max(t => t.LogScale);
        double s0 = 0, s1 = 0, s2 = 0;
        foreach (var t in terms)
        {
            double w = Math.Exp(t.LogScale - maxScale);
            s0 += w * t.Value; s1 += w * t.D1; s2 += w * t.D2;
        }
        if (!(s0 > 0)) throw new InvalidOperationException($"Kaufman sum is not positive ({s0}) at n={n}, m={m}, beta={beta}.");
        double nm = (double)n * m;
        // Prefactor ½ (2 sinh u)^{nm/2}: derivative (nm/2) coth u, second −(nm/2)/sinh² u.
        double lnZ = -Math.Log(2) + 0.5 * nm * Math.Log(2 * sh) + maxScale + Math.Log(s0);
        double dU = 0.5 * nm * ch / sh + s1 / s0;
        double d2U = -0.5 * nm / (sh * sh) + s2 / s0 - (s1 / s0) * (s1 / s0);
        // K = β, u = 2β: ∂/∂β = 2 ∂/∂u.
        double dBeta = 2 * dU, d2Beta = 4 * d2U;
        return new IsingThermodynamics(lnZ, dBeta, d2Beta, -dBeta / nm, beta * beta * d2Beta / nm);
    }

    /// <summary>γ_k and its first two derivatives with respect to u = 2K (γ₀ signed, the others positive).</summary>
    private static (double G, double G1, double G2) Gamma(int kIndex, int n, double u, double c, double c1, double c2)
    {
        if (kIndex % (2 * n) == 0)
        {
            // γ₀ = u + ln tanh(u/2): d/du = 1 + 1/sinh u, d²/du² = −cosh u / sinh² u. Signed (no arccosh).
            double sh = Math.Sinh(u);
            return (u + Math.Log(Math.Tanh(0.5 * u)), 1 + 1 / sh, -Math.Cosh(u) / (sh * sh));
        }
        double x = c - Math.Cos(Math.PI * kIndex / n); // > 1 because c ≥ 2 and k ≠ 0 (mod 2n)
        double g = Math.Acosh(x);
        double sg = Math.Sinh(g);
        double g1 = c1 / sg;
        double g2 = (c2 - x * g1 * g1) / sg;
        return (g, g1, g2);
    }

    // f = 2 cosh(mγ/2), scaled by 2 cosh(mγ/2) itself: value 1, derivatives f'/f and f''/f.
    private static ScaledFactor CoshFactor(int m, double g, double g1, double g2)
    {
        double a = 0.5 * m;
        double th = Math.Tanh(a * g);
        double logScale = LogTwoCosh(a * g);
        return new ScaledFactor(logScale, 1, a * g1 * th, a * g2 * th + a * a * g1 * g1);
    }

    // f = 2 sinh(mγ/2), scaled by 2 cosh(mγ/2) ≥ |f| so that a vanishing sinh (γ₀ → 0 at β_c) is harmless.
    private static ScaledFactor SinhFactor(int m, double g, double g1, double g2)
    {
        double a = 0.5 * m;
        double th = Math.Tanh(a * g);
        double logScale = LogTwoCosh(a * g);
        return new ScaledFactor(logScale, th, a * g1, a * g2 + a * a * g1 * g1 * th);
    }

    private static double LogTwoCosh(double x)
    {
        double ax = Math.Abs(x);
        return ax + Math.Log(1 + Math.Exp(-2 * ax));
    }

    /// <summary>A factor e^{LogScale} (F, F', F'') of one of the four Kaufman products.</summary>
    private readonly record struct ScaledFactor(double LogScale, double F, double F1, double F2);

    /// <summary>A running product e^{LogScale} (P, P', P'') accumulated by the product rule.</summary>
    private readonly record struct ScaledProduct(double LogScale, double Value, double D1, double D2)
    {
        public static ScaledProduct One => new(0, 1, 0, 0);

        public ScaledProduct Times(ScaledFactor f) => new(
            LogScale + f.LogScale,
            Value * f.F,
            D1 * f.F + Value * f.F1,
            D2 * f.F + 2 * D1 * f.F1 + Value * f.F2);
    }
}
