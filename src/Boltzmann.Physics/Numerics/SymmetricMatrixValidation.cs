namespace Boltzmann.Physics.Numerics;

/// <summary>Input checks shared by the dense symmetric routines: shape, finiteness, symmetry.</summary>
internal static class SymmetricMatrixValidation
{
    /// <summary>Relative symmetry tolerance: |a_ij - a_ji| &lt;= 1e-12 max(1, max |a|).</summary>
    public const double SymmetryTolerance = 1e-12;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the offending entry unless the row-major n x n
    /// matrix is finite and symmetric to <see cref="SymmetryTolerance"/>.</summary>
    public static void Require(ReadOnlySpan<double> matrix, int n, string paramName)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Matrix size must be positive.");
        if (matrix.Length != (long)n * n)
            throw new ArgumentException($"A {n} x {n} matrix needs {(long)n * n} values, got {matrix.Length}.", paramName);
        double max = 1.0;
        for (int i = 0; i < matrix.Length; i++)
        {
            double v = matrix[i];
            if (!double.IsFinite(v))
                throw new ArgumentException($"Matrix entry ({i / n}, {i % n}) is {v}; entries must be finite.", paramName);
            max = Math.Max(max, Math.Abs(v));
        }
        double tol = SymmetryTolerance * max;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double a = matrix[i * n + j], b = matrix[j * n + i];
                if (Math.Abs(a - b) > tol)
                    throw new ArgumentException(
                        $"Matrix is not symmetric: entry ({i}, {j}) = {a:R} but ({j}, {i}) = {b:R} (tolerance {tol:G3}).", paramName);
            }
    }
}
