using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// ln Z(beta) on a temperature ladder by thermodynamic integration of d ln Z / d beta = -&lt;E&gt;, anchored at the
/// smallest beta (the ladder's highest temperature), as used for the Helmholtz free energy below T_c in Hartnett
/// &amp; Mohseni (2020, section 4.3: "Z_s was estimated using the results of the parallel tempering").
/// <para>
/// Quadrature: the cubic Hermite (corrected trapezoid) rule on each interval [a, b], h = b - a, which uses the
/// slopes d&lt;E&gt;/d beta = -Var(E) that parallel tempering measures as well:
/// int_a^b &lt;E&gt; d beta = (h/2)(E_a + E_b) + (h^2/12)(V_b - V_a) + R, so
/// ln Z(b) = ln Z(a) - (h/2)(E_a + E_b) - (h^2/12)(V_b - V_a). Its remainder (Euler-Maclaurin) is
/// R ~ -(h^4/720)(V''_b - V''_a); V'' is estimated by second differences of V on the ladder and the bound
/// (h^4/720)(|V''_a| + |V''_b|) of every interval is added to <see cref="ThermodynamicIntegrationPoint.QuadratureError"/>.
/// </para>
/// <para>
/// Errors: ln Z(beta_K) is linear in the E_k and V_k, so its statistical variance is the sum of the squared
/// coefficients times the squared errors of E_k and V_k (temperatures treated as independent, which parallel
/// tempering's swaps make approximately true), plus the anchor's variance. The total error adds the quadrature
/// error in quadrature.
/// </para>
/// </summary>
public static class ThermodynamicIntegration
{
    /// <summary>
    /// Integrates from <paramref name="points"/>[0] (smallest beta, where ln Z = <paramref name="anchor"/>) upwards.
    /// Points must have strictly increasing beta; energies and variances are totals (not per spin).
    /// </summary>
    public static IReadOnlyList<ThermodynamicIntegrationPoint> Integrate(IReadOnlyList<EnergyMoments> points, Estimate anchor)
    {
        ArgumentNullException.ThrowIfNull(points);
        int m = points.Count;
        if (m == 0) throw new ArgumentException("Thermodynamic integration needs at least one temperature.", nameof(points));
        for (int k = 0; k < m; k++)
        {
            var p = points[k];
            if (!double.IsFinite(p.Beta) || p.Beta <= 0) throw new ArgumentException($"points[{k}].Beta = {p.Beta}; must be finite and > 0.", nameof(points));
            if (!double.IsFinite(p.Energy.Mean) || !double.IsFinite(p.Variance.Mean) || !(p.Energy.StdError >= 0) || !(p.Variance.StdError >= 0))
                throw new ArgumentException($"points[{k}] (beta = {p.Beta}) has a non-finite energy, variance or error.", nameof(points));
            if (k > 0 && !(p.Beta > points[k - 1].Beta)) throw new ArgumentException($"points must have strictly increasing beta; points[{k}].Beta = {p.Beta} follows {points[k - 1].Beta}.", nameof(points));
        }
        if (!double.IsFinite(anchor.Mean) || !(anchor.StdError >= 0)) throw new ArgumentException($"The anchor {anchor} must be finite with a non-negative error.", nameof(anchor));

        var v2 = SecondDerivatives(points);
        var result = new List<ThermodynamicIntegrationPoint>(m) { new(points[0].Beta, anchor.Mean, anchor.StdError, 0, anchor.StdError) };
        double value = anchor.Mean, quadrature = 0;
        var cE = new double[m];
        var cV = new double[m];
        for (int k = 1; k < m; k++)
        {
            var a = points[k - 1];
            var b = points[k];
            double h = b.Beta - a.Beta;
            value += -0.5 * h * (a.Energy.Mean + b.Energy.Mean) - h * h / 12 * (b.Variance.Mean - a.Variance.Mean);
            cE[k - 1] += -0.5 * h;
            cE[k] += -0.5 * h;
            cV[k] += -h * h / 12;
            cV[k - 1] += h * h / 12;
            quadrature += Math.Pow(h, 4) / 720 * (Math.Abs(v2[k]) + Math.Abs(v2[k - 1]));
            double variance = anchor.StdError * anchor.StdError;
            for (int i = 0; i <= k; i++)
                variance += cE[i] * cE[i] * points[i].Energy.StdError * points[i].Energy.StdError
                          + cV[i] * cV[i] * points[i].Variance.StdError * points[i].Variance.StdError;
            double stat = Math.Sqrt(variance);
            result.Add(new ThermodynamicIntegrationPoint(b.Beta, value, stat, quadrature, Math.Sqrt(variance + quadrature * quadrature)));
        }
        return result;
    }

    /// <summary>V'' at every ladder point by non-uniform three-point differences (end points copy their neighbour).</summary>
    private static double[] SecondDerivatives(IReadOnlyList<EnergyMoments> p)
    {
        int m = p.Count;
        var d = new double[m];
        if (m < 3) return d;
        for (int k = 1; k < m - 1; k++)
        {
            double h0 = p[k].Beta - p[k - 1].Beta, h1 = p[k + 1].Beta - p[k].Beta;
            d[k] = 2 * (h0 * p[k + 1].Variance.Mean - (h0 + h1) * p[k].Variance.Mean + h1 * p[k - 1].Variance.Mean) / (h0 * h1 * (h0 + h1));
        }
        d[0] = d[1];
        d[m - 1] = d[m - 2];
        return d;
    }
}
