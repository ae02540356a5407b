namespace Boltzmann.Physics.Numerics;

/// <summary>
/// Dense product of a batch of row vectors with a matrix, D = X M (X: rows x n, M: n x m, D: rows x m, all
/// row-major). This is how batched quantities such as the local fields J~x of many configurations x at once are
/// formed: for a symmetric M, row r of X M is M x_r.
/// </summary>
/// <remarks>
/// Row r of D is accumulated as sum_k X[r, k] M[k, :], an axpy over contiguous rows of M; four rows of X are
/// processed together so every row of M is read once per four outputs while those four output rows stay in
/// L1 cache. With <c>lowerTriangular</c> the zeros above the diagonal of M are skipped (row k of M is read
/// only up to column k), halving the work for triangular factors.
/// </remarks>
public static class MatrixProduct
{
    /// <summary>Writes D = X M into <paramref name="destination"/> (rows x m), overwriting it.</summary>
    /// <param name="x">Row-major rows x n.</param>
    /// <param name="rows">Number of rows of X.</param>
    /// <param name="n">Columns of X = rows of M.</param>
    /// <param name="matrix">Row-major n x m.</param>
    /// <param name="m">Columns of M.</param>
    /// <param name="destination">Row-major rows x m; must not overlap <paramref name="x"/> or <paramref name="matrix"/>.</param>
    /// <param name="lowerTriangular">Treat M as lower triangular (requires m = n): entries above the diagonal are not read.</param>
    public static void MultiplyRows(ReadOnlySpan<double> x, int rows, int n, ReadOnlySpan<double> matrix, int m,
        Span<double> destination, bool lowerTriangular = false)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Row count must be >= 0.");
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Inner dimension must be positive.");
        if (m <= 0) throw new ArgumentOutOfRangeException(nameof(m), m, "Column count must be positive.");
        if (x.Length != (long)rows * n)
            throw new ArgumentException($"X must hold rows x n = {rows} x {n} = {(long)rows * n} values, got {x.Length}.", nameof(x));
        if (matrix.Length != (long)n * m)
            throw new ArgumentException($"M must hold n x m = {n} x {m} = {(long)n * m} values, got {matrix.Length}.", nameof(matrix));
        if (destination.Length != (long)rows * m)
            throw new ArgumentException($"Destination must hold rows x m = {rows} x {m} = {(long)rows * m} values, got {destination.Length}.", nameof(destination));
        if (destination.Overlaps(x) || destination.Overlaps(matrix))
            throw new ArgumentException("The destination must not overlap X or M.", nameof(destination));
        if (lowerTriangular && m != n)
            throw new ArgumentException($"A lower-triangular M must be square, got {n} x {m}.", nameof(lowerTriangular));

        destination.Clear();
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            var d0 = destination.Slice(r * m, m);
            var d1 = destination.Slice((r + 1) * m, m);
            var d2 = destination.Slice((r + 2) * m, m);
            var d3 = destination.Slice((r + 3) * m, m);
            var x0 = x.Slice(r * n, n);
            var x1 = x.Slice((r + 1) * n, n);
            var x2 = x.Slice((r + 2) * n, n);
            var x3 = x.Slice((r + 3) * n, n);
            for (int k = 0; k < n; k++)
            {
                int len = lowerTriangular ? k + 1 : m;
                VectorKernels.Axpy4(x0[k], x1[k], x2[k], x3[k], matrix.Slice(k * m, len), d0, d1, d2, d3);
            }
        }
        for (; r < rows; r++)
        {
            var d = destination.Slice(r * m, m);
            var xr = x.Slice(r * n, n);
            for (int k = 0; k < n; k++)
            {
                int len = lowerTriangular ? k + 1 : m;
                VectorKernels.Axpy(xr[k], matrix.Slice(k * m, len), d);
            }
        }
    }
}
