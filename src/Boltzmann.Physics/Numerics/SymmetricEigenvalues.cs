using MathNet.Numerics.LinearAlgebra;

namespace Boltzmann.Physics.Numerics;

/// <summary>
/// Eigenvalues of a dense real symmetric matrix. Used for lambda_min(J), which fixes the shift Delta of the
/// continuous relaxation of the SK model (Hartnett &amp; Mohseni 2020, eq. 5), and for spectra in tests.
/// </summary>
/// <remarks>
/// The decomposition is MathNet.Numerics' symmetric eigenvalue solver (Householder tridiagonalisation, then
/// implicit QL; backward stable, eigenvalue errors of order n eps ||A||). Measured against the former hand-written
/// Householder + Sturm-bisection kernel at N = 16..256 it is slower (it always forms eigenvectors), but it runs
/// once per relaxation, i.e. once per (instance, temperature) of a flow, where milliseconds to a few tenths of a
/// second are immaterial next to training; the eigenvalues agree to ~1e-14. Its managed provider is scalar code,
/// so the result does not depend on the SIMD width of the machine.
/// </remarks>
public static class SymmetricEigenvalues
{
    /// <summary>All eigenvalues of the symmetric n x n matrix (row-major), in ascending order.</summary>
    /// <exception cref="ArgumentException">The matrix is not finite and symmetric (the message names the entry).</exception>
    public static double[] Compute(ReadOnlySpan<double> matrix, int n)
    {
        SymmetricMatrixValidation.Require(matrix, n, nameof(matrix));
        return Spectrum(Matrix<double>.Build.DenseOfRowMajor(n, n, matrix.ToArray()));
    }

    /// <summary>The smallest eigenvalue lambda_1 of the symmetric n x n matrix (row-major).</summary>
    /// <exception cref="ArgumentException">The matrix is not finite and symmetric (the message names the entry).</exception>
    public static double Smallest(ReadOnlySpan<double> matrix, int n) => Compute(matrix, n)[0];

    /// <summary>The largest eigenvalue of the symmetric n x n matrix (row-major).</summary>
    public static double Largest(ReadOnlySpan<double> matrix, int n) => Compute(matrix, n)[^1];

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
        var t = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < n; i++) t[i, i] = diagonal[i];
        for (int i = 0; i < n - 1; i++) t[i, i + 1] = t[i + 1, i] = offDiagonal[i];
        return Spectrum(t);
    }

    private static double[] Spectrum(Matrix<double> symmetric)
    {
        // A symmetric matrix has a real spectrum: the imaginary parts MathNet reports are exactly zero.
        var values = symmetric.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).ToArray();
        Array.Sort(values);
        return values;
    }
}
