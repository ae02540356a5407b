using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>
/// Independent dense linear algebra for the tests (nothing shared with the code under test): the cyclic Jacobi
/// eigenvalue method with eigenvectors, Gauss-Jordan inversion with partial pivoting, and helpers to build test
/// matrices and relaxation inputs.
/// </summary>
internal static class DenseReference
{
    /// <summary>Eigen-decomposition A = V diag(lambda) V^T by cyclic Jacobi rotations (row-major input, not modified).
    /// Returns eigenvalues ascending and V with eigenvectors as columns (row-major, column k pairs with value k).</summary>
    public static (double[] Values, double[] Vectors) Jacobi(double[] matrix, int n)
    {
        var a = (double[])matrix.Clone();
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, norm = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    norm += a[i * n + j] * a[i * n + j];
                    if (i != j) off += a[i * n + j] * a[i * n + j];
                }
            if (off <= 1e-30 * Math.Max(norm, 1e-300)) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (apq == 0) continue;
                    double app = a[p * n + p], aqq = a[q * n + q];
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    // A <- G^T A G with the rotation in the (p, q) plane.
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, n).OrderBy(k => a[k * n + k]).ToArray();
        var values = order.Select(k => a[k * n + k]).ToArray();
        var vectors = new double[n * n];
        for (int col = 0; col < n; col++)
            for (int row = 0; row < n; row++)
                vectors[row * n + col] = v[row * n + order[col]];
        return (values, vectors);
    }

    /// <summary>Inverse and ln|det| by Gauss-Jordan elimination with partial pivoting.</summary>
    public static (double[] Inverse, double LogAbsDet) GaussJordan(double[] matrix, int n)
    {
        var a = (double[])matrix.Clone();
        var inv = new double[n * n];
        for (int i = 0; i < n; i++) inv[i * n + i] = 1;
        double logDet = 0;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(a[r * n + col]) > Math.Abs(a[pivot * n + col])) pivot = r;
            if (pivot != col)
                for (int k = 0; k < n; k++)
                {
                    (a[col * n + k], a[pivot * n + k]) = (a[pivot * n + k], a[col * n + k]);
                    (inv[col * n + k], inv[pivot * n + k]) = (inv[pivot * n + k], inv[col * n + k]);
                }
            double d = a[col * n + col];
            logDet += Math.Log(Math.Abs(d));
            for (int k = 0; k < n; k++) { a[col * n + k] /= d; inv[col * n + k] /= d; }
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double f = a[r * n + col];
                if (f == 0) continue;
                for (int k = 0; k < n; k++) { a[r * n + k] -= f * a[col * n + k]; inv[r * n + k] -= f * inv[col * n + k]; }
            }
        }
        return (inv, logDet);
    }

    /// <summary>A random orthogonal matrix as a product of n Householder reflections of Gaussian vectors.</summary>
    public static double[] RandomOrthogonal(int n, ref RandomStream rng)
    {
        var q = new double[n * n];
        for (int i = 0; i < n; i++) q[i * n + i] = 1;
        var v = new double[n];
        for (int r = 0; r < n; r++)
        {
            double norm2 = 0;
            for (int i = 0; i < n; i++) { v[i] = rng.NextGaussian(); norm2 += v[i] * v[i]; }
            // Q <- Q (I - 2 v v^T / v^T v)
            for (int i = 0; i < n; i++)
            {
                double dot = 0;
                for (int k = 0; k < n; k++) dot += q[i * n + k] * v[k];
                double f = 2 * dot / norm2;
                for (int k = 0; k < n; k++) q[i * n + k] -= f * v[k];
            }
        }
        return q;
    }

    /// <summary>Q diag(values) Q^T (row-major).</summary>
    public static double[] WithSpectrum(double[] values, double[] q)
    {
        int n = values.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += q[i * n + k] * values[k] * q[j * n + k];
                a[i * n + j] = s;
            }
        // Exact symmetry (rounding can differ by one ulp between (i, j) and (j, i)).
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                a[j * n + i] = a[i * n + j];
        return a;
    }

    public static double[] RandomSymmetric(int n, ref RandomStream rng)
    {
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double g = rng.NextGaussian();
                a[i * n + j] = g;
                a[j * n + i] = g;
            }
        return a;
    }

    /// <summary>SK instance with Gaussian couplings (variance 1/N) and Gaussian fields of the given scale.</summary>
    public static SkInstance Instance(int n, ulong seed, double fieldScale)
    {
        var rng = RandomStreams.For(seed, "physics-tests/relaxation", n);
        var inst = SkInstance.Generate(n, ref rng);
        var h = new double[n];
        for (int i = 0; i < n; i++) h[i] = fieldScale * rng.NextGaussian();
        return new SkInstance(n, inst.Couplings.ToArray(), h);
    }

    /// <summary>All 2^N configurations (bit i set means s_i = +1) with their exact Boltzmann probabilities and ln Z_s,
    /// from <see cref="SkInstance.Energy"/> directly.</summary>
    public static (sbyte[][] Configurations, double[] Probabilities, double LnZ) ExactSpinDistribution(SkInstance instance, double beta)
    {
        int n = instance.N, count = 1 << n;
        var configs = new sbyte[count][];
        var logW = new double[count];
        for (int x = 0; x < count; x++)
        {
            var s = new sbyte[n];
            for (int i = 0; i < n; i++) s[i] = (sbyte)(((x >> i) & 1) == 1 ? 1 : -1);
            configs[x] = s;
            logW[x] = -beta * instance.Energy(s);
        }
        double max = logW.Max();
        double z = logW.Sum(l => Math.Exp(l - max));
        double lnZ = max + Math.Log(z);
        return (configs, logW.Select(l => Math.Exp(l - lnZ)).ToArray(), lnZ);
    }

    /// <summary>J~ = J + Delta I and its smallest eigenvalue, from the test's own Jacobi solver.</summary>
    public static (double[] Shifted, double LambdaMin, double Delta) Shift(SkInstance instance, double epsilon)
    {
        int n = instance.N;
        var j = instance.Couplings.ToArray();
        double lambdaMin = Jacobi(j, n).Values[0];
        double delta = Math.Max(0, epsilon - lambdaMin);
        for (int i = 0; i < n; i++) j[i * n + i] += delta;
        return (j, lambdaMin, delta);
    }
}
