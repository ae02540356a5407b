namespace Boltzmann.Physics.CurieWeiss;

/// <summary>
/// The N -&gt; infinity (mean-field) solution of the Curie-Weiss model H = -h sum x - (J/N) sum_{i&lt;j} x_i x_j, and the
/// O(1) term of ln Z_N, so finite-N results (<see cref="CurieWeissExact"/>, Biazzo 2023 fig. 4) can be compared with the
/// thermodynamic limit including its leading 1/N correction.
/// </summary>
/// <remarks>
/// <para>Writing the binomial sum with u = N(1 + m)/2 up spins, Z_N = e^{-beta J/2} sum_u C(N, u) e^{N (beta J m^2/2 + beta h m)}.
/// With Stirling, C(N, u) ~ e^{N s(m)} / sqrt(2 pi N (1 - m^2)/4), s(m) = -((1+m)/2) ln((1+m)/2) - ((1-m)/2) ln((1-m)/2), and
/// the sum over u turned into (N/2) times an integral over m, Laplace's method around the maximiser m* of
/// g(m) = s(m) + beta J m^2/2 + beta h m gives</para>
/// <para>ln Z_N = N g(m*) + c_1 + O(1/N), c_1 = -beta J/2 - (1/2) ln(1 - beta J (1 - m*^2)) + ln(number of maximisers),</para>
/// <para>since g''(m*) = beta J - 1/(1 - m*^2). Hence f_inf = -g(m*)/beta = min_m [-h m - J m^2/2 - T s(m)], m* solves
/// m = tanh(beta (J m + h)), and f_N - f_inf = -c_1 / (beta N) + O(1/N^2). At h = 0 and beta J &gt; 1 the two maximisers
/// +-m* count twice (ln 2); at beta J &lt; 1, h = 0: c_1 = -beta J/2 - (1/2) ln(1 - beta J). At the critical point
/// (h = 0, beta J = 1) the Gaussian approximation fails (the correction grows like N^{1/4}) and c_1 is NaN. With a
/// small field h != 0 the asymptotic form needs N |h| m* &gt;&gt; 1 (the metastable minimum is exponentially suppressed only then).</para>
/// </remarks>
public static class CurieWeissMeanField
{
    /// <summary>Grid points on [-1, 1] used to locate the global minimum before refining it by bisection.</summary>
    private const int GridPoints = 4000;

    /// <summary>Solves the mean-field problem at inverse temperature beta &gt; 0.</summary>
    public static CurieWeissMeanFieldSolution Solve(double beta, double j = 1.0, double h = 0.0)
    {
        if (!double.IsFinite(beta) || beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "Inverse temperature must be finite and > 0.");
        if (!double.IsFinite(j)) throw new ArgumentOutOfRangeException(nameof(j), j, "Coupling J must be finite.");
        if (!double.IsFinite(h)) throw new ArgumentOutOfRangeException(nameof(h), h, "Field h must be finite.");

        // phi(m) = -g(m) = beta f(m): minimise on a grid, then bisect phi'(m) = artanh(m) - beta (J m + h) in the bracket.
        int best = 0;
        double bestPhi = double.PositiveInfinity;
        for (int k = 0; k <= GridPoints; k++)
        {
            double phi = Phi(GridValue(k), beta, j, h);
            if (phi < bestPhi) { bestPhi = phi; best = k; }
        }
        int lowIndex = Math.Max(0, best - 1), highIndex = Math.Min(GridPoints, best + 1);
        while (lowIndex > 0 && PhiPrime(GridValue(lowIndex), beta, j, h) > 0) lowIndex--;
        while (highIndex < GridPoints && PhiPrime(GridValue(highIndex), beta, j, h) < 0) highIndex++;
        double lo = GridValue(lowIndex), hi = GridValue(highIndex);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (PhiPrime(mid, beta, j, h) < 0) lo = mid;
            else hi = mid;
        }
        double m = 0.5 * (lo + hi);
        bool symmetricPair = h == 0 && j > 0 && beta * j > 1;
        if (symmetricPair) m = Math.Abs(m);
        if (h == 0 && !(j > 0 && beta * j > 1)) m = 0;   // the unique maximiser is exactly 0 (the grid bracket is only ~1e-16 off)
        double freeEnergy = Phi(m, beta, j, h) / beta;
        int saddles = symmetricPair ? 2 : 1;
        double curvature = 1.0 - beta * j * (1.0 - m * m);
        double correction = curvature > 0
            ? -beta * j / 2 - 0.5 * Math.Log(curvature) + Math.Log(saddles)
            : double.NaN;
        return new CurieWeissMeanFieldSolution(beta, j, h, m, freeEnergy, saddles, correction);
    }

    private static double GridValue(int k) => -1.0 + 2.0 * k / GridPoints;

    /// <summary>phi(m) = -beta h m - beta J m^2/2 - s(m).</summary>
    private static double Phi(double m, double beta, double j, double h) => -beta * h * m - 0.5 * beta * j * m * m - Entropy(m);

    /// <summary>phi'(m) = artanh(m) - beta (J m + h) (minus infinity at m = -1, plus infinity at m = 1).</summary>
    private static double PhiPrime(double m, double beta, double j, double h)
    {
        if (m <= -1) return double.NegativeInfinity;
        if (m >= 1) return double.PositiveInfinity;
        return Math.Atanh(m) - beta * (j * m + h);
    }

    /// <summary>s(m) = ln 2 - (1/2)[(1+m) ln(1+m) + (1-m) ln(1-m)], with 0 ln 0 = 0.</summary>
    private static double Entropy(double m)
    {
        double a = 1 + m, b = 1 - m;
        double xa = a > 0 ? a * Math.Log(a) : 0;
        double xb = b > 0 ? b * Math.Log(b) : 0;
        return Math.Log(2) - 0.5 * (xa + xb);
    }
}
