using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Lattice;
using Boltzmann.Physics.Numerics;

namespace Boltzmann.Physics.Relaxation;

/// <summary>
/// The dual continuous field of the 2D Ising model (Li &amp; Wang 2018, "Neural Network Renormalization Group",
/// PRL 121, 260601, arXiv:1802.02840, eq. 7): a density on R^N, N = L^2, that is exactly equivalent to the Ising
/// model H = -sum_&lt;ij&gt; s_i s_j on the periodic L x L lattice, so a normalizing flow can model it.
/// <code>
///   pi(x) = exp(-x^T (K + alpha I)^{-1} x / 2) prod_i cosh(x_i),   K = beta * adjacency,
///   pi(s|x) = prod_i (1 + e^{-2 s_i x_i})^{-1},   E[s_i|x] = tanh(x_i),
///   ln Z_x = ln Z_Ising + (1/2) ln det(K + alpha I) + (N/2) [ln(pi/2) + alpha]     (Lebesgue measure).
/// </code>
/// <para><b>Conventions.</b> K_ij = beta * (number of bonds between i and j), so s^T K s / 2 = -beta H(s) (on the
/// 2 x 2 torus each neighbour pair is joined by two bonds and K_ij = 2 beta). alpha is footnote 65's offset:
/// lambda_min(K + alpha I) = 0.1, i.e. alpha = 0.1 - lambda_min(K) (= 0.1 + 4 beta on even periodic lattices).
/// The density uses cosh, not 2cosh (the paper's eq. 7).</para>
/// <para><b>Derivation of ln Z_x.</b> With A = K + alpha I and s_i^2 = 1, s^T A s = s^T K s + alpha N. The Gaussian
/// integral int dx exp(-x^T A^{-1} x / 2 + s^T x) = (2 pi)^{N/2} det(A)^{1/2} exp(s^T A s / 2), and
/// sum_s e^{s^T x} = 2^N prod_i cosh x_i. Hence
/// Z_x = 2^{-N} (2 pi)^{N/2} det(A)^{1/2} e^{alpha N / 2} Z_Ising, which is the paper's bound below Fig. 3,
/// -ln Z_x = -ln Z_Ising - (1/2) ln det(K + alpha I) + (N/2) [ln(2/pi) - alpha]. With 2cosh in place of cosh the
/// value would shift by N ln 2. The tests check this against a direct quadrature of pi(x) at L = 2 and against a
/// brute-force sum over spins at L = 2 and 4.</para>
/// <para>Gradient: d ln pi / dx = -A^{-1} x + tanh(x).</para>
/// </summary>
public sealed class IsingDualField
{
    /// <summary>Footnote 65: the smallest eigenvalue of K + alpha I is 0.1.</summary>
    public const double DefaultSmallestEigenvalue = 0.1;

    private readonly double[] _couplings;
    private readonly double[] _precision;
    private readonly int[][] _forward;

    /// <summary>Linear size L of the periodic L x L lattice.</summary>
    public int L { get; }

    /// <summary>N = L^2 sites (row-major, site (r, c) = r L + c, as <see cref="Lattice2D"/>).</summary>
    public int N { get; }

    /// <summary>Inverse temperature beta &gt; 0 (coupling J = 1).</summary>
    public double Beta { get; }

    /// <summary>The offset alpha with lambda_min(K + alpha I) = <see cref="SmallestEigenvalue"/>.</summary>
    public double Alpha { get; }

    /// <summary>lambda_min(K + alpha I) (0.1 by footnote 65).</summary>
    public double SmallestEigenvalue { get; }

    /// <summary>K = beta * adjacency, row-major N x N.</summary>
    public ReadOnlySpan<double> Couplings => _couplings;

    /// <summary>(K + alpha I)^{-1}, row-major N x N: the precision matrix of the Gaussian factor of eq. 7.</summary>
    public ReadOnlySpan<double> Precision => _precision;

    /// <summary>ln det(K + alpha I).</summary>
    public double LogDetCovariance { get; }

    /// <summary>ln Z_x - ln Z_Ising = (1/2) ln det(K + alpha I) + (N/2) [ln(pi/2) + alpha].</summary>
    public double LnZxMinusLnZIsing { get; }

    /// <summary>The dual field of the periodic L x L Ising model at <paramref name="beta"/>.</summary>
    /// <param name="l">Linear size, &gt;= 2.</param>
    /// <param name="beta">Finite, &gt; 0.</param>
    /// <param name="smallestEigenvalue">lambda_min(K + alpha I), finite and &gt; 0 (footnote 65: 0.1).</param>
    public IsingDualField(int l, double beta, double smallestEigenvalue = DefaultSmallestEigenvalue)
    {
        if (l < 2) throw new ArgumentOutOfRangeException(nameof(l), l, "The dual Ising field needs L >= 2.");
        if (!double.IsFinite(beta) || beta <= 0)
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Inverse temperature must be finite and > 0.");
        if (!double.IsFinite(smallestEigenvalue) || smallestEigenvalue <= 0)
            throw new ArgumentOutOfRangeException(nameof(smallestEigenvalue), smallestEigenvalue, "lambda_min(K + alpha I) must be finite and > 0 (the paper uses 0.1).");
        L = l;
        N = l * l;
        Beta = beta;
        SmallestEigenvalue = smallestEigenvalue;
        int n = N;
        var lattice = new Lattice2D(l, l);
        _forward = [lattice.Forward(0).ToArray(), lattice.Forward(1).ToArray()];
        _couplings = new double[n * n];
        for (int mu = 0; mu < 2; mu++)
        {
            var forward = lattice.Forward(mu);
            for (int i = 0; i < n; i++)
            {
                _couplings[i * n + forward[i]] += beta;
                _couplings[forward[i] * n + i] += beta;
            }
        }
        Alpha = smallestEigenvalue - SymmetricEigenvalues.Smallest(_couplings, n);
        var covariance = (double[])_couplings.Clone();
        for (int i = 0; i < n; i++) covariance[i * n + i] += Alpha;
        var factor = new CholeskyFactorization(covariance, n);
        LogDetCovariance = factor.LogDeterminant;
        _precision = new double[n * n];
        var unit = new double[n];
        var column = new double[n];
        for (int j = 0; j < n; j++)
        {
            Array.Clear(unit);
            unit[j] = 1;
            factor.Solve(unit, column);
            for (int i = 0; i < n; i++) _precision[i * n + j] = column[i];
        }
        // Symmetrise against rounding so x^T P x is the same in every evaluation order.
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double v = 0.5 * (_precision[i * n + j] + _precision[j * n + i]);
                _precision[i * n + j] = v;
                _precision[j * n + i] = v;
            }
        LnZxMinusLnZIsing = 0.5 * LogDetCovariance + 0.5 * n * (Math.Log(Math.PI / 2) + Alpha);
    }

    /// <summary>ln Z_x from ln Z_Ising (the paper's formula below Fig. 3).</summary>
    public double LnZxFromLnZIsing(double lnZIsing) => lnZIsing + LnZxMinusLnZIsing;

    /// <summary>Exact ln Z_x from Kaufman's finite-lattice ln Z_Ising (<see cref="IsingExact"/>).</summary>
    public double ExactLnZx() => LnZxFromLnZIsing(IsingExact.LnZ(L, Beta));

    /// <summary>ln pi(x) = -x^T (K + alpha I)^{-1} x / 2 + sum_i ln cosh x_i (eq. 7) of one configuration.</summary>
    public double LogDensity(ReadOnlySpan<double> x)
    {
        if (x.Length != N) throw new ArgumentException($"Expected N = {N} values, got {x.Length}.", nameof(x));
        double quadratic = 0;
        for (int i = 0; i < N; i++)
            quadratic += x[i] * VectorKernels.Dot(_precision.AsSpan(i * N, N), x);
        double lnCosh = 0;
        for (int i = 0; i < N; i++) lnCosh += LnCosh(x[i]);
        return lnCosh - 0.5 * quadratic;
    }

    /// <summary>ln pi(x) for every row of <paramref name="xs"/> (row-major count x N).</summary>
    public void LogDensities(ReadOnlySpan<double> xs, Span<double> destination)
    {
        if (xs.Length % N != 0 || destination.Length != xs.Length / N)
            throw new ArgumentException($"Need count x N values and count destinations (N = {N}); got {xs.Length} and {destination.Length}.", nameof(xs));
        for (int r = 0; r < destination.Length; r++) destination[r] = LogDensity(xs.Slice(r * N, N));
    }

    /// <summary>d ln pi / dx = tanh(x) - (K + alpha I)^{-1} x into <paramref name="gradient"/>; returns ln pi(x).</summary>
    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (gradient.Length != N) throw new ArgumentException($"Expected N = {N} gradient values, got {gradient.Length}.", nameof(gradient));
        double value = LogDensity(x);
        for (int i = 0; i < N; i++)
            gradient[i] = Math.Tanh(x[i]) - VectorKernels.Dot(_precision.AsSpan(i * N, N), x);
        return value;
    }

    /// <summary>-beta H(s) = s^T K s / 2 of a spin configuration (+-1 values).</summary>
    public double NegativeBetaEnergy(ReadOnlySpan<sbyte> s)
    {
        if (s.Length != N) throw new ArgumentException($"Expected N = {N} spins, got {s.Length}.", nameof(s));
        double total = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                total += s[i] * _couplings[i * N + j] * s[j];
        return 0.5 * total;
    }

    /// <summary>
    /// Improved estimator of the uniform structure factor, E[(sum_i s_i / N)^2 | x] with E[s_i|x] = tanh x_i and
    /// independent spins given x: ((sum t)^2 - sum t^2 + N) / N^2.
    /// </summary>
    public static double MagnetizationSquaredGivenX(ReadOnlySpan<double> x)
    {
        double sum = 0, squares = 0;
        foreach (double v in x)
        {
            double t = Math.Tanh(v);
            sum += t;
            squares += t * t;
        }
        double n = x.Length;
        return (sum * sum - squares + n) / (n * n);
    }

    /// <summary>
    /// Improved estimator of the Ising energy per site, E[H/N | x] = -(1/N) sum_bonds tanh x_i tanh x_j (each of the
    /// 2N bonds joins two different sites, so the spins of a bond are independent given x).
    /// </summary>
    public double EnergyPerSiteGivenX(ReadOnlySpan<double> x)
    {
        if (x.Length != N) throw new ArgumentException($"Expected N = {N} values, got {x.Length}.", nameof(x));
        double total = 0;
        for (int mu = 0; mu < 2; mu++)
        {
            var forward = _forward[mu];
            for (int i = 0; i < N; i++) total += Math.Tanh(x[i]) * Math.Tanh(x[forward[i]]);
        }
        return -total / N;
    }

    /// <summary>ln cosh y = |y| + ln(1 + e^{-2|y|}) - ln 2, without overflow.</summary>
    public static double LnCosh(double y)
    {
        double a = Math.Abs(y);
        return a + Math.Log(1.0 + Math.Exp(-2.0 * a)) - Math.Log(2.0);
    }
}
