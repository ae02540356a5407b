using MathNet.Numerics.LinearAlgebra;

namespace Boltzmann.Physics.Numerics;

/// <summary>
/// Cholesky factorisation A = L L^T of a dense symmetric positive-definite matrix (row-major n x n), with the
/// solves, log-determinant and inverse factor needed for Gaussian densities and Gaussian sampling: if A is a
/// precision matrix (inverse covariance), x = mu + L^{-T} z with z ~ N(0, I) has covariance
/// L^{-T} L^{-1} = A^{-1}, and ln det A = 2 sum_i ln L_ii.
/// </summary>
/// <remarks>
/// The factorisation is MathNet.Numerics' dense Cholesky. It is slower than the former hand-written SIMD kernel
/// (N = 256: ~20 ms against ~4 ms on the shared development machine) but runs once per relaxation, where that is
/// immaterial; L agrees to ~1e-15. The triangular solves and products, which MathNet does not offer on a
/// factor, are substitutions here. The input must be finite and symmetric (checked); if A is not positive
/// definite the first non-positive pivot is reported with its index. An instance is immutable and safe for
/// concurrent reads.
/// </remarks>
public sealed class CholeskyFactorization
{
    private readonly double[] _lower;

    /// <summary>Matrix size n.</summary>
    public int N { get; }

    /// <summary>L, row-major n x n, lower triangular (zeros above the diagonal), positive diagonal.</summary>
    public ReadOnlySpan<double> Lower => _lower;

    /// <summary>ln det A = 2 sum_i ln L_ii (no overflow for any n).</summary>
    public double LogDeterminant { get; }

    /// <summary>Factors the symmetric positive-definite matrix A (row-major n x n).</summary>
    /// <exception cref="ArgumentException">A is not finite and symmetric, or is not positive definite (the message names the failing pivot).</exception>
    public CholeskyFactorization(ReadOnlySpan<double> matrix, int n)
    {
        SymmetricMatrixValidation.Require(matrix, n, nameof(matrix));
        N = n;
        _lower = new double[n * n];
        if (!Factor(matrix, n, _lower, out int failedPivot, out double pivotValue))
            throw new ArgumentException(
                $"Matrix is not positive definite: Cholesky pivot {failedPivot} is {pivotValue:G6} <= 0 (the leading " +
                $"{failedPivot + 1} x {failedPivot + 1} block is not positive definite).", nameof(matrix));
        LogDeterminant = LogDeterminantOf(_lower, n);
    }

    /// <summary>True (with the factorisation) if A is symmetric positive definite; false if a pivot is not positive.</summary>
    /// <exception cref="ArgumentException">A is not finite and symmetric.</exception>
    public static bool TryCreate(ReadOnlySpan<double> matrix, int n, out CholeskyFactorization? factorization)
    {
        SymmetricMatrixValidation.Require(matrix, n, nameof(matrix));
        var lower = new double[n * n];
        if (!Factor(matrix, n, lower, out _, out _))
        {
            factorization = null;
            return false;
        }
        factorization = new CholeskyFactorization(lower, n, LogDeterminantOf(lower, n));
        return true;
    }

    private CholeskyFactorization(double[] lower, int n, double logDeterminant)
    {
        N = n;
        _lower = lower;
        LogDeterminant = logDeterminant;
    }

    private static double LogDeterminantOf(double[] lower, int n)
    {
        double logDet = 0;
        for (int i = 0; i < n; i++) logDet += Math.Log(lower[i * n + i]);
        return 2 * logDet;
    }

    private static bool Factor(ReadOnlySpan<double> a, int n, double[] lower, out int failedPivot, out double pivotValue)
    {
        var matrix = Matrix<double>.Build.DenseOfRowMajor(n, n, a.ToArray());
        Matrix<double> factor;
        try
        {
            factor = matrix.Cholesky().Factor;
        }
        catch (ArgumentException)
        {
            (failedPivot, pivotValue) = FirstNonPositivePivot(matrix);
            return false;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) lower[i * n + j] = factor[i, j];
        failedPivot = -1;
        pivotValue = 0;
        return true;
    }

    /// <summary>
    /// Pivot k of the factorisation is the Schur complement a_kk - b^T A_k^{-1} b of the leading k x k block A_k
    /// (b = a_{0..k-1,k}); it is the first non-positive one exactly when A_k is positive definite and A_{k+1} is
    /// not. Leading blocks of a positive-definite block are positive definite, so k is found by bisection. Only
    /// the error message needs it, so the extra factorisations are paid on failure alone.
    /// </summary>
    private static (int Pivot, double Value) FirstNonPositivePivot(Matrix<double> a)
    {
        int lo = 0, hi = a.RowCount - 1;  // invariant: block lo x lo positive definite, block (hi+1) x (hi+1) not
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (IsPositiveDefinite(a.SubMatrix(0, mid, 0, mid))) lo = mid; else hi = mid - 1;
        }
        int k = lo;
        if (k == 0) return (0, a[0, 0]);
        var b = a.SubMatrix(0, k, k, 1).Column(0);
        return (k, a[k, k] - b.DotProduct(a.SubMatrix(0, k, 0, k).Cholesky().Solve(b)));
    }

    private static bool IsPositiveDefinite(Matrix<double> a)
    {
        try
        {
            _ = a.Cholesky();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Solves A x = b (forward then backward substitution). <paramref name="x"/> may be the same span as <paramref name="b"/>.</summary>
    public void Solve(ReadOnlySpan<double> b, Span<double> x)
    {
        SolveLower(b, x);
        SolveUpper(x, x);
    }

    /// <summary>Solves L y = b by forward substitution. <paramref name="y"/> may be the same span as <paramref name="b"/>.</summary>
    public void SolveLower(ReadOnlySpan<double> b, Span<double> y)
    {
        CheckVector(b, nameof(b));
        CheckVector(y, nameof(y));
        int n = N;
        var l = _lower.AsSpan();
        for (int i = 0; i < n; i++)
        {
            double s = b[i] - VectorKernels.Dot(l.Slice(i * n, i), y[..i]);
            y[i] = s / l[i * n + i];
        }
    }

    /// <summary>Solves L^T x = y by backward substitution (column-oriented: after x_i is known, row i of L
    /// removes its contribution from the remaining right-hand side). <paramref name="x"/> may be the same span as <paramref name="y"/>.</summary>
    public void SolveUpper(ReadOnlySpan<double> y, Span<double> x)
    {
        CheckVector(y, nameof(y));
        CheckVector(x, nameof(x));
        int n = N;
        if (!y.Overlaps(x)) y.CopyTo(x);
        var l = _lower.AsSpan();
        for (int i = n - 1; i >= 0; i--)
        {
            double xi = x[i] / l[i * n + i];
            x[i] = xi;
            VectorKernels.Axpy(-xi, l.Slice(i * n, i), x);
        }
    }

    /// <summary>y = L z. <paramref name="y"/> must not overlap <paramref name="z"/>.</summary>
    public void MultiplyLower(ReadOnlySpan<double> z, Span<double> y)
    {
        CheckVector(z, nameof(z));
        CheckVector(y, nameof(y));
        if (z.Overlaps(y)) throw new ArgumentException("Input and output of MultiplyLower must not overlap.", nameof(y));
        int n = N;
        for (int i = 0; i < n; i++) y[i] = VectorKernels.Dot(_lower.AsSpan(i * n, i + 1), z[..(i + 1)]);
    }

    /// <summary>
    /// L^{-1} (row-major, lower triangular), by forward substitution on the rows of L L^{-1} = I:
    /// row i of L^{-1} = (e_i - sum_{k&lt;i} L_ik row_k(L^{-1})) / L_ii. About n^3/6 multiply-adds.
    /// Used for batched Gaussian sampling: x = mu + L^{-T} z, i.e. as row vectors x^T = mu^T + z^T L^{-1}.
    /// </summary>
    public double[] InverseLower()
    {
        int n = N;
        var inv = new double[n * n];
        var l = _lower.AsSpan();
        for (int i = 0; i < n; i++)
        {
            var row = inv.AsSpan(i * n, i + 1);
            for (int k = 0; k < i; k++)
            {
                double lik = l[i * n + k];
                if (lik != 0) VectorKernels.Axpy(-lik, inv.AsSpan(k * n, k + 1), row);
            }
            row[i] += 1.0;
            double scale = 1.0 / l[i * n + i];
            for (int c = 0; c <= i; c++) row[c] *= scale;
        }
        return inv;
    }

    private void CheckVector(ReadOnlySpan<double> v, string name)
    {
        if (v.Length != N) throw new ArgumentException($"Vector must have n = {N} entries, got {v.Length}.", name);
    }
}
