namespace Boltzmann.Physics.Numerics;

/// <summary>
/// Eigenvalues of a dense real symmetric matrix: Householder reduction to tridiagonal form, then bisection with
/// Sturm sequence counts. Used for lambda_min(J), which fixes the shift Delta of the continuous relaxation of the
/// SK model (Hartnett &amp; Mohseni 2020, eq. 5), and for spectra in tests.
/// </summary>
/// <remarks>
/// <para><b>Tridiagonalisation.</b> For k = 0 .. n-3 a Householder reflector P = I - tau v v^T maps column k
/// below the diagonal onto alpha e_1; the trailing block B is replaced by P B P through the symmetric rank-2
/// update B - v w^T - w v^T with p = tau B v, w = p - (tau/2)(v^T p) v. The similarity transforms preserve the
/// spectrum and are backward stable (eigenvalue errors of order n eps ||A||). About 2 n^3 flops on the full
/// block, all in SIMD dot products and axpys over contiguous rows (N = 512: roughly 0.1-0.2 s on the 2-core
/// development machine).</para>
/// <para><b>Bisection.</b> For the tridiagonal T (diagonal d, off-diagonal e) the number of negative pivots of
/// the LDL^T factorisation of T - lambda I, q_0 = d_0 - lambda, q_i = d_i - lambda - e_{i-1}^2 / q_{i-1}, equals
/// the number of eigenvalues below lambda (Sylvester's law of inertia). Bisecting that count inside the
/// Gershgorin interval locates the k-th eigenvalue to about 2 eps |lambda| + eps ||T||, in O(n) per step. A zero pivot is
/// replaced by a tiny negative number (-pivmin), the standard safeguard.</para>
/// </remarks>
public static class SymmetricEigenvalues
{
    /// <summary>All eigenvalues of the symmetric n x n matrix (row-major), in ascending order.</summary>
    /// <exception cref="ArgumentException">The matrix is not finite and symmetric (the message names the entry).</exception>
    public static double[] Compute(ReadOnlySpan<double> matrix, int n)
    {
        var (d, e) = Tridiagonalize(matrix, n);
        var values = new double[n];
        for (int k = 0; k < n; k++) values[k] = KthSmallestOfTridiagonal(d, e, k);
        return values;
    }

    /// <summary>The smallest eigenvalue lambda_1 of the symmetric n x n matrix (row-major).</summary>
    /// <exception cref="ArgumentException">The matrix is not finite and symmetric (the message names the entry).</exception>
    public static double Smallest(ReadOnlySpan<double> matrix, int n)
    {
        var (d, e) = Tridiagonalize(matrix, n);
        return KthSmallestOfTridiagonal(d, e, 0);
    }

    /// <summary>The largest eigenvalue of the symmetric n x n matrix (row-major).</summary>
    public static double Largest(ReadOnlySpan<double> matrix, int n)
    {
        var (d, e) = Tridiagonalize(matrix, n);
        return KthSmallestOfTridiagonal(d, e, n - 1);
    }

    /// <summary>Eigenvalues of the symmetric tridiagonal matrix with diagonal <paramref name="diagonal"/> (n values)
    /// and off-diagonal <paramref name="offDiagonal"/> (n - 1 values), ascending.</summary>
    public static double[] OfTridiagonal(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> offDiagonal)
    {
        int n = diagonal.Length;
        if (n == 0) throw new ArgumentException("The tridiagonal matrix must have at least one diagonal entry.", nameof(diagonal));
        if (offDiagonal.Length != n - 1)
            throw new ArgumentException($"A tridiagonal matrix with {n} diagonal entries has {n - 1} off-diagonal entries, got {offDiagonal.Length}.", nameof(offDiagonal));
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(diagonal[i])) throw new ArgumentException($"Diagonal entry {i} is {diagonal[i]}; must be finite.", nameof(diagonal));
        for (int i = 0; i < n - 1; i++)
            if (!double.IsFinite(offDiagonal[i])) throw new ArgumentException($"Off-diagonal entry {i} is {offDiagonal[i]}; must be finite.", nameof(offDiagonal));
        var d = diagonal.ToArray();
        var e = new double[n];
        offDiagonal.CopyTo(e);
        var values = new double[n];
        for (int k = 0; k < n; k++) values[k] = KthSmallestOfTridiagonal(d, e, k);
        return values;
    }

    /// <summary>Householder reduction: returns the diagonal d (n) and off-diagonal e (n, last entry unused = 0).</summary>
    private static (double[] Diagonal, double[] OffDiagonal) Tridiagonalize(ReadOnlySpan<double> matrix, int n)
    {
        SymmetricMatrixValidation.Require(matrix, n, nameof(matrix));
        var a = matrix.ToArray();
        var d = new double[n];
        var e = new double[n];
        var v = new double[n];
        var p = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            int m = n - k - 1;          // trailing block = rows/columns k+1 .. n-1
            int start = k + 1;
            d[k] = a[k * n + k];
            // Column k below the diagonal, scaled by its largest entry so the norm cannot overflow or underflow.
            double scale = 0;
            for (int i = 0; i < m; i++) scale = Math.Max(scale, Math.Abs(a[(start + i) * n + k]));
            if (scale == 0)
            {
                e[k] = 0;
                continue;
            }
            double sigma2 = 0;
            for (int i = 0; i < m; i++)
            {
                double xi = a[(start + i) * n + k] / scale;
                v[i] = xi;
                sigma2 += xi * xi;
            }
            double sigma = Math.Sqrt(sigma2);
            double x0 = v[0];
            double alpha = x0 >= 0 ? -sigma : sigma;
            v[0] = x0 - alpha;
            // v^T v = 2 (sigma^2 - alpha x0) = 2 sigma (sigma + |x0|) > 0.
            double tau = 1.0 / (sigma * (sigma + Math.Abs(x0)));
            e[k] = alpha * scale;

            var vs = v.AsSpan(0, m);
            var ps = p.AsSpan(0, m);
            for (int i = 0; i < m; i++) ps[i] = tau * VectorKernels.Dot(a.AsSpan((start + i) * n + start, m), vs);
            double half = 0.5 * tau * VectorKernels.Dot(vs, ps);
            for (int i = 0; i < m; i++) ps[i] -= half * vs[i];   // p becomes w
            for (int i = 0; i < m; i++)
            {
                var row = a.AsSpan((start + i) * n + start, m);
                VectorKernels.Axpy(-vs[i], ps, row);
                VectorKernels.Axpy(-ps[i], vs, row);
            }
        }
        if (n >= 2)
        {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 1) * n + n - 2];
        }
        d[n - 1] = a[(n - 1) * n + n - 1];
        e[n - 1] = 0;
        return (d, e);
    }

    /// <summary>The k-th smallest (0-based) eigenvalue of the tridiagonal (d, e) by Sturm-count bisection.</summary>
    private static double KthSmallestOfTridiagonal(double[] d, double[] e, int k)
    {
        int n = d.Length;
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity, maxE2 = 0;
        for (int i = 0; i < n; i++)
        {
            double r = (i > 0 ? Math.Abs(e[i - 1]) : 0) + (i < n - 1 ? Math.Abs(e[i]) : 0);
            lo = Math.Min(lo, d[i] - r);
            hi = Math.Max(hi, d[i] + r);
            if (i < n - 1) maxE2 = Math.Max(maxE2, e[i] * e[i]);
        }
        double pivmin = double.Epsilon * 1e16 * Math.Max(1.0, maxE2);
        double span = Math.Max(Math.Abs(lo), Math.Abs(hi));
        lo -= 2 * double.Epsilon + 1e-15 * span;
        hi += 2 * double.Epsilon + 1e-15 * span;
        // Absolute floor of the accuracy: eigenvalues of T are determined only to about eps ||T|| anyway.
        double absoluteTolerance = double.Epsilon + 1e-16 * span;
        for (int iteration = 0; iteration < 4096; iteration++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (hi - lo <= 4.4e-16 * Math.Max(Math.Abs(lo), Math.Abs(hi)) + absoluteTolerance) break;
            if (CountBelow(d, e, mid, pivmin) > k) hi = mid;
            else lo = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>Number of eigenvalues of the tridiagonal (d, e) strictly below <paramref name="lambda"/>.</summary>
    private static int CountBelow(double[] d, double[] e, double lambda, double pivmin)
    {
        int count = 0;
        double q = d[0] - lambda;
        if (Math.Abs(q) <= pivmin) q = -pivmin;
        if (q < 0) count++;
        for (int i = 1; i < d.Length; i++)
        {
            q = d[i] - lambda - e[i - 1] * e[i - 1] / q;
            if (Math.Abs(q) <= pivmin) q = -pivmin;
            if (q < 0) count++;
        }
        return count;
    }
}
