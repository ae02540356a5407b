namespace Boltzmann.Physics.Exact;

/// <summary>
/// The κ = 0 limit of lattice φ⁴ in the hopping form S = Σ_x [−2κ Σ_μ φ_x φ_{x+μ} + (1 − 2λ) φ_x² + λ φ_x⁴]
/// (the parametrisation of Nicoli et al., generative sampling of lattice field theories, arXiv:2007.07115 and the
/// 2024 review talk): the sites decouple and Z = z₀(λ)^V with the single-site integral
/// <code>  z₀(λ) = ∫ dφ exp(−(1 − 2λ) φ² − λ φ⁴),  λ ≥ 0.  </code>
/// Computed by the trapezoid rule on ℝ (exponentially convergent for an entire integrand decaying like e^{−λφ⁴}),
/// so it is valid for every λ ≥ 0 including the double-well region λ &gt; 1/2. The closed forms are restricted:
/// √((1−2λ)/(4λ)) e^z K_{1/4}(z), z = (1−2λ)²/(8λ), holds only for λ &lt; 1/2 (NaN at 1/2, complex above); for
/// λ &gt; 1/2 it is (π/2) √(|1−2λ|/(2λ)) e^z [I_{−1/4}(z) + I_{1/4}(z)]. Both are used only as tests.
/// With V independent sites: ⟨m²⟩ = ⟨φ²⟩/V for m = Σφ/V, χ = V⟨m²⟩ = ⟨φ²⟩, ⟨S⟩/V = (1−2λ)⟨φ²⟩ + λ⟨φ⁴⟩.
/// </summary>
public static class Phi4SingleSite
{
    /// <summary>z₀(λ) = ∫ exp(−(1−2λ)φ² − λφ⁴) dφ.</summary>
    public static double Z0(double lambda) => Moment(lambda, 0);

    /// <summary>ln z₀(λ); the κ = 0 lattice has ln Z = V ln z₀.</summary>
    public static double LnZ0(double lambda) => Math.Log(Z0(lambda));

    /// <summary>⟨φ²⟩ at κ = 0.</summary>
    public static double MeanPhiSquared(double lambda) => Moment(lambda, 2) / Moment(lambda, 0);

    /// <summary>⟨φ⁴⟩ at κ = 0.</summary>
    public static double MeanPhiFourth(double lambda) => Moment(lambda, 4) / Moment(lambda, 0);

    /// <summary>⟨S⟩/V = (1 − 2λ)⟨φ²⟩ + λ⟨φ⁴⟩ at κ = 0.</summary>
    public static double ActionDensity(double lambda) => (1 - 2 * lambda) * MeanPhiSquared(lambda) + lambda * MeanPhiFourth(lambda);

    /// <summary>∫ φ^k exp(−(1−2λ)φ² − λφ⁴) dφ (k even) by the trapezoid rule on a symmetric truncated grid.</summary>
    public static double Moment(double lambda, int k)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Need 0 <= lambda < inf.");
        if (k < 0 || k % 2 != 0) throw new ArgumentOutOfRangeException(nameof(k), k, "Only even moments are non-zero.");
        double a = 1 - 2 * lambda;
        // Minimum of the single-site action (0 for a ≥ 0, −a²/(4λ) at φ² = −a/(2λ) otherwise): subtract it so the
        // integrand peaks at 1 even in a deep double well.
        double sMin = a >= 0 ? 0 : -a * a / (4 * lambda);
        // Length scale of the narrowest feature: curvature S'' ≤ 2|a| + 12 λ φ² near the minima, or λ^{-1/4}.
        double phiMin2 = a >= 0 ? 0 : -a / (2 * lambda);
        double curvature = Math.Max(2 * Math.Abs(a), 8 * lambda * phiMin2) + 1e-300;
        double width = Math.Min(1 / Math.Sqrt(curvature), lambda > 0 ? Math.Pow(lambda, -0.25) : double.PositiveInfinity);
        double h = width / 16;
        // Cut-off where S − S_min exceeds 800 (integrand < e^{−800}, far below double precision of the sum).
        double cut = Cutoff(a, lambda, sMin, 800);
        int steps = (int)Math.Ceiling(cut / h);
        h = cut / steps;
        double sum = 0;
        for (int i = 1; i <= steps; i++)
        {
            double phi = i * h, p2 = phi * phi;
            sum += Math.Pow(phi, k) * Math.Exp(-(a * p2 + lambda * p2 * p2 - sMin));
        }
        // ∫_ℝ = e^{−S_min} h [f(0) + 2 Σ_{i≥1} f(ih)], f the shifted integrand (f(0) = e^{S_min} φ^k|₀).
        double centre = k == 0 ? Math.Exp(sMin) : 0;
        return h * (centre + 2 * sum) * Math.Exp(-sMin);
    }

    private static double Cutoff(double a, double lambda, double sMin, double depth)
    {
        // Smallest φ > max(φ_min) with a φ² + λφ⁴ − S_min ≥ depth (monotone beyond the minimum).
        double lo = a >= 0 ? 0 : Math.Sqrt(-a / (2 * lambda)), hi = Math.Max(1, 2 * lo);
        while (a * hi * hi + lambda * Math.Pow(hi, 4) - sMin < depth) hi *= 2;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (a * mid * mid + lambda * Math.Pow(mid, 4) - sMin < depth) lo = mid; else hi = mid;
        }
        return hi;
    }
}
