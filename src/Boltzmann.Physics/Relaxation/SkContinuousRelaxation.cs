using System.Buffers;
using Boltzmann.Physics.Actions;
using Boltzmann.Physics.Numerics;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Physics.Relaxation;

/// <summary>
/// The continuous relaxation of an SK instance (Hartnett &amp; Mohseni 2020, "Self-supervised learning of generative
/// spin-glasses with normalizing flows", section 2, eqs. 3-7): a density p(x) on R^N, x continuous, that is
/// exactly equivalent to the Boltzmann distribution p(s) = e^{-beta H(s)} / Z_s of the spins, so normalizing flows
/// (which need continuous variables) can model the spin glass.
/// </summary>
/// <remarks>
/// <para><b>Conventions.</b> H(s) = -sum_{i&lt;j} J_ij s_i s_j - sum_i h_i s_i (paper eq. 1, our SK convention) =
/// -(1/2) s^T J s - h^T s with J symmetric and zero on the diagonal. The shifted coupling matrix is
/// J~ = J + Delta I (eq. 5) with Delta = max(0, eps - lambda_1(J)), lambda_1 the smallest eigenvalue, so that
/// lambda_1(J~) = max(lambda_1(J), eps) &gt;= eps &gt; 0 and beta J~ is a valid precision matrix. The paper uses
/// eps = 0.01 (<see cref="DefaultEpsilon"/>).</para>
/// <para><b>Derivation (checks every sign and constant of eqs. 3-7).</b> Because s_i^2 = 1,
/// s^T J~ s = s^T J s + N Delta, so -beta H(s) = beta h^T s + (beta/2) s^T J~ s - N beta Delta / 2. Define the
/// joint density p(x, s) = p(x|s) p(s) with p(x|s) = N(x; s, (beta J~)^{-1}) (eq. 6: mean s, covariance the
/// inverse of beta J~, which is the matrix that is Cholesky-factored here). Expanding the Gaussian exponent,
/// -(beta/2)(x - s)^T J~ (x - s) = -(beta/2) x^T J~ x + beta s^T J~ x - (beta/2) s^T J~ s, the s^T J~ s terms
/// cancel and
/// p(x, s) = det(beta J~)^{1/2} (2 pi)^{-N/2} e^{-N beta Delta / 2} Z_s^{-1} exp(-(beta/2) x^T J~ x + beta s^T (J~ x + h)).
/// (i) Summing over s, sum_s e^{beta s^T y} = prod_i 2 cosh(beta y_i) with y = J~ x + h, gives p(x) = e^{-beta H_beta(x)} / Z_x
/// with the Hamiltonian density H_beta(x) = (1/2) x^T J~ x - (1/beta) sum_i ln 2cosh(beta (J~ x + h)_i) (eq. 3: the
/// field h enters inside the cosh, added to J~ x, and the diagonal shift Delta x_i is part of J~ x) and
/// Z_x = (2 pi)^{N/2} det(beta J~)^{-1/2} e^{N beta Delta / 2} Z_s (eq. 4, including the e^{+N beta Delta/2} factor).
/// (ii) Dividing by p(x): p(s|x) = prod_i e^{beta s_i y_i} / (2 cosh(beta y_i)) (eq. 7; the paper writes
/// cosh(beta s_i y_i), equal because cosh is even), i.e. independent spins with P(s_i = +1 | x) = sigma(2 beta y_i).
/// Gradient: grad H_beta(x) = J~ x - J~ tanh(beta (J~ x + h)) = J~ (x - tanh(beta y)).
/// The issue text and the paper agree on all of this; no correction was needed.</para>
/// <para><b>Authors' public code (deepglass, NVP-trainer-*.py).</b> It forms Sigma_inv = beta J + (max(0, -lambda_min(beta J))
/// + 0.01 beta) I = beta (J + (max(0, -lambda_1(J)) + eps) I). For every symmetric J with zero diagonal the trace is 0, so
/// lambda_1(J) &lt;= 0 and max(0, -lambda_1) + eps = eps - lambda_1 = max(0, eps - lambda_1): the code's shift equals the
/// paper's Delta exactly (they would differ only if lambda_1(J) &gt; 0, impossible here). Its log density
/// -(1/2) x^T Sigma_inv x + sum ln 2cosh((Sigma_inv x)_i) is -beta H_beta(x) with h = 0; the code has no field term
/// (the paper's experiments use h = 0). We follow the paper, fields included.</para>
/// <para><b>Performance.</b> Construction costs one symmetric eigenvalue computation (Householder + bisection), one
/// Cholesky factorisation of beta J~ and its inverse factor: O(N^3), ~0.1 s at N = 512. Batched methods take many
/// configurations as the rows of a row-major matrix (count x N) and form J~ x for a block of rows at once
/// (<see cref="MatrixProduct"/>); scratch comes from <see cref="ArrayPool{T}"/>, so calls allocate nothing and an
/// instance is safe for concurrent use (each caller passes its own <see cref="RandomStream"/>).</para>
/// </remarks>
public sealed class SkContinuousRelaxation : IContinuousAction
{
    /// <summary>The paper's eps = 0.01 (Hartnett &amp; Mohseni, section 4): lambda_1(J~) = 0.01 for SK instances.</summary>
    public const double DefaultEpsilon = 0.01;

    /// <summary>Rows processed per block in batched methods.</summary>
    private const int BlockRows = 64;

    private readonly double[] _shifted;
    private readonly double[] _fields;
    private readonly double[] _inverseCholesky;

    /// <summary>The spin-glass instance (couplings J, fields h).</summary>
    public SkInstance Instance { get; }

    /// <summary>Number of spins (= dimension of x).</summary>
    public int N { get; }

    /// <summary>Inverse temperature beta &gt; 0.</summary>
    public double Beta { get; }

    /// <summary>The eps of eq. 5: the smallest eigenvalue J~ is allowed to have.</summary>
    public double Epsilon { get; }

    /// <summary>lambda_1(J), the smallest eigenvalue of the coupling matrix (zero diagonal).</summary>
    public double LambdaMin { get; }

    /// <summary>Delta = max(0, eps - lambda_1(J)) (eq. 5).</summary>
    public double Delta { get; }

    /// <summary>J~ = J + Delta I, row-major N x N (eq. 5).</summary>
    public ReadOnlySpan<double> ShiftedCouplings => _shifted;

    /// <summary>Cholesky factorisation beta J~ = L L^T of the precision matrix of p(x|s) (eq. 6).</summary>
    public CholeskyFactorization PrecisionFactor { get; }

    /// <summary>ln det(beta J~).</summary>
    public double LogDetPrecision => PrecisionFactor.LogDeterminant;

    /// <summary>ln Z_x - ln Z_s = (N/2) ln 2 pi - (1/2) ln det(beta J~) + N beta Delta / 2 (eq. 4).</summary>
    public double LnZxMinusLnZs { get; }

    /// <summary>Builds the relaxation of <paramref name="instance"/> at inverse temperature <paramref name="beta"/>.</summary>
    /// <param name="instance">Couplings must be symmetric with zero diagonal (as H(s) assumes).</param>
    /// <param name="beta">Finite, &gt; 0.</param>
    /// <param name="epsilon">Finite, &gt; 0; the paper's default 0.01.</param>
    public SkContinuousRelaxation(SkInstance instance, double beta, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!double.IsFinite(beta) || beta <= 0)
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Inverse temperature must be finite and > 0 for the continuous relaxation.");
        if (!double.IsFinite(epsilon) || epsilon <= 0)
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "eps must be finite and > 0 (the paper uses 0.01).");
        int n = instance.N;
        var couplings = instance.Couplings;
        SymmetricMatrixValidation.Require(couplings, n, nameof(instance));
        double maxAbs = 1.0;
        foreach (double v in couplings) maxAbs = Math.Max(maxAbs, Math.Abs(v));
        for (int i = 0; i < n; i++)
            if (Math.Abs(couplings[i * n + i]) > SymmetricMatrixValidation.SymmetryTolerance * maxAbs)
                throw new ArgumentException($"Coupling J_({i},{i}) = {couplings[i * n + i]:R}; H(s) = -sum_(i<j) J_ij s_i s_j needs a zero diagonal.", nameof(instance));

        Instance = instance;
        N = n;
        Beta = beta;
        Epsilon = epsilon;
        // J from its upper triangle with an exactly zero diagonal, so J~ is consistent with H(s).
        _shifted = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double v = couplings[i * n + j];
                _shifted[i * n + j] = v;
                _shifted[j * n + i] = v;
            }
        LambdaMin = SymmetricEigenvalues.Smallest(_shifted, n);
        Delta = Math.Max(0.0, epsilon - LambdaMin);
        for (int i = 0; i < n; i++) _shifted[i * n + i] = Delta;
        _fields = instance.Fields.ToArray();

        var precision = new double[n * n];
        for (int k = 0; k < precision.Length; k++) precision[k] = beta * _shifted[k];
        if (!CholeskyFactorization.TryCreate(precision, n, out var factor) || factor is null)
            throw new ArgumentException(
                $"beta J~ is not numerically positive definite (lambda_1(J) = {LambdaMin:R}, Delta = {Delta:R}, eps = {epsilon:R}); increase eps.",
                nameof(epsilon));
        PrecisionFactor = factor;
        _inverseCholesky = factor.InverseLower();
        LnZxMinusLnZs = 0.5 * n * Math.Log(2 * Math.PI) - 0.5 * factor.LogDeterminant + 0.5 * n * beta * Delta;
    }

    /// <summary>ln Z_x from ln Z_s by eq. 4.</summary>
    public double LnZxFromLnZs(double lnZs) => lnZs + LnZxMinusLnZs;

    /// <summary>ln Z_s from ln Z_x by eq. 4.</summary>
    public double LnZsFromLnZx(double lnZx) => lnZx - LnZxMinusLnZs;

    /// <summary>
    /// Exact ln Z_x = ln Z_s + (eq. 4 constant), with ln Z_s from complete enumeration (N &lt;= <see cref="SkExactEnumeration.MaxN"/>).
    /// Pass an existing enumeration of the same instance to reuse it; otherwise one is built (0.5 s at N = 24).
    /// </summary>
    public double ExactLnZx(SkExactEnumeration? enumeration = null)
    {
        if (enumeration is null)
        {
            if (N > SkExactEnumeration.MaxN)
                throw new InvalidOperationException($"Exact ln Z_x needs complete enumeration, N <= {SkExactEnumeration.MaxN}; this instance has N = {N}.");
            enumeration = new SkExactEnumeration(Instance);
        }
        else if (!ReferenceEquals(enumeration.Instance, Instance) && enumeration.Instance.ContentHash() != Instance.ContentHash())
            throw new ArgumentException("The enumeration belongs to a different instance (couplings or fields differ).", nameof(enumeration));
        return LnZxFromLnZs(enumeration.AtBeta(Beta, includeOverlap: false).LnZ);
    }

    /// <summary>H_beta(x) (eq. 3) of one configuration x (N values).</summary>
    public double HamiltonianDensity(ReadOnlySpan<double> x)
    {
        CheckSingle(x, nameof(x));
        Span<double> result = stackalloc double[1];
        Evaluate(x, 1, result, [], gradient: false);
        return result[0];
    }

    /// <summary>H_beta(x) (eq. 3) and its gradient J~ (x - tanh(beta (J~ x + h))) for one configuration.</summary>
    public double HamiltonianDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        CheckSingle(x, nameof(x));
        CheckSingle(gradient, nameof(gradient));
        Span<double> result = stackalloc double[1];
        Evaluate(x, 1, result, gradient, gradient: true);
        return result[0];
    }

    /// <summary>H_beta for every row of <paramref name="xs"/> (row-major count x N) into <paramref name="densities"/> (count).</summary>
    public void HamiltonianDensities(ReadOnlySpan<double> xs, Span<double> densities)
    {
        int count = RowCount(xs, nameof(xs));
        if (densities.Length != count) throw new ArgumentException($"Need {count} destination values (one per row), got {densities.Length}.", nameof(densities));
        Evaluate(xs, count, densities, [], gradient: false);
    }

    /// <summary>H_beta and its gradient for every row of <paramref name="xs"/> (count x N); gradients are count x N.</summary>
    public void HamiltonianDensitiesAndGradients(ReadOnlySpan<double> xs, Span<double> densities, Span<double> gradients)
    {
        int count = RowCount(xs, nameof(xs));
        if (densities.Length != count) throw new ArgumentException($"Need {count} destination values (one per row), got {densities.Length}.", nameof(densities));
        if (gradients.Length != xs.Length) throw new ArgumentException($"Gradients must be count x N = {xs.Length} values, got {gradients.Length}.", nameof(gradients));
        Evaluate(xs, count, densities, gradients, gradient: true);
    }

    /// <summary>N real coordinates x.</summary>
    public int Dimension => N;

    /// <summary>The Euclidean action S(x) = beta H_beta(x) of p(x) ∝ e^{−S(x)} (eq. 3), for HMC on the relaxation.</summary>
    public double Action(ReadOnlySpan<double> x) => Beta * HamiltonianDensity(x);

    /// <summary>S(x) = beta H_beta(x) and ∂S/∂x = beta J~ (x − tanh(beta (J~ x + h))) in one pass.</summary>
    public double ActionAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double h = HamiltonianDensityAndGradient(x, gradient);
        for (int i = 0; i < gradient.Length; i++) gradient[i] *= Beta;
        return Beta * h;
    }

    /// <summary>ln of the unnormalised density, -beta H_beta(x); ln p(x) = this - ln Z_x.</summary>
    public double LogUnnormalizedDensity(ReadOnlySpan<double> x) => -Beta * HamiltonianDensity(x);

    /// <summary>-beta H_beta for every row of <paramref name="xs"/> (count x N).</summary>
    public void LogUnnormalizedDensities(ReadOnlySpan<double> xs, Span<double> destination)
    {
        HamiltonianDensities(xs, destination);
        for (int r = 0; r < destination.Length; r++) destination[r] *= -Beta;
    }

    /// <summary>
    /// P(s_i = +1 | x) = sigma(2 beta (J~ x + h)_i) (eq. 7) for every row of <paramref name="xs"/> (count x N) into
    /// <paramref name="probabilities"/> (count x N).
    /// </summary>
    public void SpinUpProbabilities(ReadOnlySpan<double> xs, Span<double> probabilities)
    {
        int count = RowCount(xs, nameof(xs));
        if (probabilities.Length != xs.Length) throw new ArgumentException($"Need count x N = {xs.Length} probabilities, got {probabilities.Length}.", nameof(probabilities));
        int n = N;
        for (int start = 0; start < count; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, count - start);
            var block = probabilities.Slice(start * n, rows * n);
            MatrixProduct.MultiplyRows(xs.Slice(start * n, rows * n), rows, n, _shifted, n, block);
            for (int r = 0; r < rows; r++)
                for (int i = 0; i < n; i++)
                {
                    ref double p = ref block[r * n + i];
                    p = Sigmoid(2 * Beta * (p + _fields[i]));
                }
        }
    }

    /// <summary>ln p(s|x) = sum_i [beta s_i y_i - ln 2cosh(beta y_i)], y = J~ x + h (eq. 7).</summary>
    public double LogProbabilitySGivenX(ReadOnlySpan<sbyte> s, ReadOnlySpan<double> x)
    {
        CheckSingle(x, nameof(x));
        if (s.Length != N) throw new ArgumentException($"Configuration has {s.Length} spins, instance has {N}.", nameof(s));
        double total = 0;
        for (int i = 0; i < N; i++)
        {
            int si = s[i];
            if (si != 1 && si != -1) throw new ArgumentException($"Spin {i} is {si}; spins must be +1 or -1.", nameof(s));
            double y = Beta * (VectorKernels.Dot(_shifted.AsSpan(i * N, N), x) + _fields[i]);
            total += si * y - LnTwoCosh(y);
        }
        return total;
    }

    /// <summary>
    /// Draws s ~ p(s|x) (eq. 7, independent spins) for every row of <paramref name="xs"/> (count x N) into
    /// <paramref name="spins"/> (count x N, values +-1). Uses N uniforms per row, in row order.
    /// </summary>
    public void SampleSGivenX(ReadOnlySpan<double> xs, Span<sbyte> spins, ref RandomStream rng)
    {
        int count = RowCount(xs, nameof(xs));
        if (spins.Length != xs.Length) throw new ArgumentException($"Need count x N = {xs.Length} spins, got {spins.Length}.", nameof(spins));
        int n = N;
        var buffer = ArrayPool<double>.Shared.Rent(BlockRows * n);
        try
        {
            for (int start = 0; start < count; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, count - start);
                var p = buffer.AsSpan(0, rows * n);
                MatrixProduct.MultiplyRows(xs.Slice(start * n, rows * n), rows, n, _shifted, n, p);
                var dest = spins.Slice(start * n, rows * n);
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < n; i++)
                    {
                        double up = Sigmoid(2 * Beta * (p[r * n + i] + _fields[i]));
                        dest[r * n + i] = rng.NextDouble() < up ? (sbyte)1 : (sbyte)-1;
                    }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Draws x ~ p(x|s) = N(s, (beta J~)^{-1}) (eq. 6) for every row of <paramref name="spins"/> (count x N, +-1) into
    /// <paramref name="xs"/> (count x N): x = s + L^{-T} z with beta J~ = L L^T and z ~ N(0, I), so Cov x = (L L^T)^{-1}.
    /// This is the map from spin samples (e.g. parallel tempering) to continuous training data for forward-KL
    /// training, one x per s (paper section 4 and footnote 3). Uses N standard normals per row, in row order.
    /// </summary>
    public void SampleXGivenS(ReadOnlySpan<sbyte> spins, Span<double> xs, ref RandomStream rng)
    {
        int count = SpinRowCount(spins);
        if (xs.Length != spins.Length) throw new ArgumentException($"Need count x N = {spins.Length} values, got {xs.Length}.", nameof(xs));
        int n = N;
        var buffer = ArrayPool<double>.Shared.Rent(BlockRows * n);
        try
        {
            for (int start = 0; start < count; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, count - start);
                var dest = xs.Slice(start * n, rows * n);
                GaussianBlock(spins.Slice(start * n, rows * n), rows, buffer.AsSpan(0, rows * n), dest, ref rng);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>As <see cref="SampleXGivenS(ReadOnlySpan{sbyte}, Span{double}, ref RandomStream)"/>, written as single
    /// precision (what tensors use); the same random numbers, so the values are the double results rounded.</summary>
    public void SampleXGivenS(ReadOnlySpan<sbyte> spins, Span<float> xs, ref RandomStream rng)
    {
        int count = SpinRowCount(spins);
        if (xs.Length != spins.Length) throw new ArgumentException($"Need count x N = {spins.Length} values, got {xs.Length}.", nameof(xs));
        int n = N;
        var buffer = ArrayPool<double>.Shared.Rent(2 * BlockRows * n);
        try
        {
            for (int start = 0; start < count; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, count - start);
                var z = buffer.AsSpan(0, rows * n);
                var x = buffer.AsSpan(BlockRows * n, rows * n);
                GaussianBlock(spins.Slice(start * n, rows * n), rows, z, x, ref rng);
                var dest = xs.Slice(start * n, rows * n);
                for (int k = 0; k < x.Length; k++) dest[k] = (float)x[k];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>x rows = s rows + z rows L^{-1} (row-vector form of x = s + L^{-T} z).</summary>
    private void GaussianBlock(ReadOnlySpan<sbyte> spins, int rows, Span<double> z, Span<double> x, ref RandomStream rng)
    {
        int n = N;
        for (int k = 0; k < z.Length; k++) z[k] = rng.NextGaussian();
        MatrixProduct.MultiplyRows(z, rows, n, _inverseCholesky, n, x, lowerTriangular: true);
        for (int k = 0; k < x.Length; k++) x[k] += spins[k];
    }

    private void Evaluate(ReadOnlySpan<double> xs, int count, Span<double> densities, Span<double> gradients, bool gradient)
    {
        int n = N;
        double beta = Beta, invBeta = 1.0 / Beta;
        int blockSize = BlockRows * n;
        var buffer = ArrayPool<double>.Shared.Rent(gradient ? 2 * blockSize : blockSize);
        try
        {
            for (int start = 0; start < count; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, count - start);
                var x = xs.Slice(start * n, rows * n);
                var a = buffer.AsSpan(0, rows * n);             // J~ x
                var t = gradient ? buffer.AsSpan(blockSize, rows * n) : default;  // tanh(beta (J~ x + h))
                MatrixProduct.MultiplyRows(x, rows, n, _shifted, n, a);
                for (int r = 0; r < rows; r++)
                {
                    var ar = a.Slice(r * n, n);
                    double quadratic = VectorKernels.Dot(x.Slice(r * n, n), ar);
                    double lnCosh = 0;
                    for (int i = 0; i < n; i++)
                    {
                        // One exponential serves both: with e = exp(-2|y|), ln 2cosh y = |y| + ln(1 + e) and
                        // tanh y = sign(y) (1 - e) / (1 + e).
                        double y = beta * (ar[i] + _fields[i]);
                        double abs = Math.Abs(y);
                        double e = Math.Exp(-2.0 * abs);
                        lnCosh += abs + Math.Log(1.0 + e);
                        if (gradient) t[r * n + i] = Math.CopySign((1.0 - e) / (1.0 + e), y);
                    }
                    densities[start + r] = 0.5 * quadratic - invBeta * lnCosh;
                }
                if (gradient)
                {
                    var g = gradients.Slice(start * n, rows * n);
                    MatrixProduct.MultiplyRows(t, rows, n, _shifted, n, g);
                    for (int k = 0; k < g.Length; k++) g[k] = a[k] - g[k];
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>ln 2cosh(y) = |y| + ln(1 + e^{-2|y|}), without overflow.</summary>
    private static double LnTwoCosh(double y)
    {
        double a = Math.Abs(y);
        return a + Math.Log(1.0 + Math.Exp(-2.0 * a));
    }

    private static double Sigmoid(double u) => 1.0 / (1.0 + Math.Exp(-u));

    private void CheckSingle(ReadOnlySpan<double> v, string name)
    {
        if (v.Length != N) throw new ArgumentException($"Expected N = {N} values, got {v.Length}.", name);
    }

    private int RowCount(ReadOnlySpan<double> xs, string name)
    {
        if (xs.Length % N != 0)
            throw new ArgumentException($"A batch is count x N values (row-major) with N = {N}; {xs.Length} is not a multiple of N.", name);
        for (int k = 0; k < xs.Length; k++)
            if (!double.IsFinite(xs[k]))
                throw new ArgumentException($"x[{k / N}, {k % N}] is {xs[k]}; configurations must be finite.", name);
        return xs.Length / N;
    }

    private int SpinRowCount(ReadOnlySpan<sbyte> spins)
    {
        if (spins.Length % N != 0)
            throw new ArgumentException($"A batch of spins is count x N values (row-major) with N = {N}; {spins.Length} is not a multiple of N.", nameof(spins));
        for (int k = 0; k < spins.Length; k++)
            if (spins[k] != 1 && spins[k] != -1)
                throw new ArgumentException($"Spin [{k / N}, {k % N}] is {spins[k]}; spins must be +1 or -1.", nameof(spins));
        return spins.Length / N;
    }
}
