using Boltzmann.Physics.Numerics;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>The batched row-times-matrix kernel against the triple loop.</summary>
public class MatrixProductTests
{
    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(3, 5, 7, false)]
    [InlineData(9, 13, 13, true)]
    [InlineData(70, 33, 33, false)]
    [InlineData(70, 33, 33, true)]
    public void Matches_naive_product(int rows, int n, int m, bool lower)
    {
        var rng = new RandomStream(100 + (ulong)(rows * n + m));
        var x = Enumerable.Range(0, rows * n).Select(_ => rng.NextGaussian()).ToArray();
        var a = Enumerable.Range(0, n * m).Select(_ => rng.NextGaussian()).ToArray();
        if (lower)
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < m; j++)
                    a[i * m + j] = double.NaN;   // must never be read
        var d = new double[rows * m];
        Array.Fill(d, 123.0);                    // must be overwritten
        MatrixProduct.MultiplyRows(x, rows, n, a, m, d, lower);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < m; c++)
            {
                double s = 0;
                for (int k = 0; k < n; k++)
                    if (!lower || c <= k) s += x[r * n + k] * a[k * m + c];
                Assert.True(Math.Abs(d[r * m + c] - s) <= 1e-12 * (1 + Math.Abs(s)), $"D[{r},{c}] = {d[r * m + c]:R} vs {s:R}");
            }
    }

    [Fact]
    public void Rejects_mismatched_shapes()
    {
        Assert.Throws<ArgumentException>(() => MatrixProduct.MultiplyRows(new double[6], 2, 3, new double[6], 2, new double[3]));
        Assert.Throws<ArgumentException>(() => MatrixProduct.MultiplyRows(new double[5], 2, 3, new double[6], 2, new double[4]));
        Assert.Throws<ArgumentException>(() => MatrixProduct.MultiplyRows(new double[6], 2, 3, new double[6], 2, new double[4], lowerTriangular: true));
    }
}
