using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>
/// The Gaussian-mixture picture of the continuous relaxation, built independently of the code under test (its own
/// Jacobi eigen-decomposition of K = beta J~, its own enumeration of p(s)): p(x) = sum_s p(s) N(x; s, K^{-1}).
/// Used as the reference for eqs. 3, 4, 6 and 7 of Hartnett &amp; Mohseni.
/// </summary>
internal sealed class RelaxationReference
{
    public int N { get; }
    public double Beta { get; }
    public double Delta { get; }
    public double LambdaMin { get; }
    public double[] Shifted { get; }
    /// <summary>K = beta J~ (row-major).</summary>
    public double[] Precision { get; }
    public double[] PrecisionEigenvalues { get; }
    /// <summary>Eigenvectors of K as columns (row-major).</summary>
    public double[] PrecisionEigenvectors { get; }
    public double LogDetPrecision { get; }
    public sbyte[][] Configurations { get; }
    public double[] SpinProbabilities { get; }
    public double LnZs { get; }
    private readonly double[] _sKs;

    public RelaxationReference(SkInstance instance, double beta, double epsilon)
    {
        N = instance.N;
        Beta = beta;
        (Shifted, LambdaMin, Delta) = DenseReference.Shift(instance, epsilon);
        Precision = Shifted.Select(v => beta * v).ToArray();
        (PrecisionEigenvalues, PrecisionEigenvectors) = DenseReference.Jacobi(Precision, N);
        LogDetPrecision = PrecisionEigenvalues.Sum(Math.Log);
        (Configurations, SpinProbabilities, LnZs) = DenseReference.ExactSpinDistribution(instance, beta);
        _sKs = Configurations.Select(s => Quadratic(s.Select(v => (double)v).ToArray())).ToArray();
    }

    /// <summary>ln Z_x from eq. 4 with the reference's own determinant and Delta.</summary>
    public double LnZx => LnZs + 0.5 * N * Math.Log(2 * Math.PI) - 0.5 * LogDetPrecision + 0.5 * N * Beta * Delta;

    /// <summary>v^T K v.</summary>
    public double Quadratic(double[] v)
    {
        double q = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                q += v[i] * Precision[i * N + j] * v[j];
        return q;
    }

    /// <summary>ln N(x; s, K^{-1}).</summary>
    public double LogGaussian(double[] x, sbyte[] s)
    {
        var d = new double[N];
        for (int i = 0; i < N; i++) d[i] = x[i] - s[i];
        return -0.5 * Quadratic(d) + 0.5 * LogDetPrecision - 0.5 * N * Math.Log(2 * Math.PI);
    }

    /// <summary>ln of sum_s a(s) exp(-(1/2)(x - s)^T K (x - s)) for log-weights a(s), via x^T K x - 2 s^T K x + s^T K s.</summary>
    private double LogSumOverSpins(double[] x, Func<int, double> logWeight)
    {
        var kx = new double[N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                kx[i] += Precision[i * N + j] * x[j];
        double xKx = 0;
        for (int i = 0; i < N; i++) xKx += x[i] * kx[i];
        var terms = new double[Configurations.Length];
        double max = double.NegativeInfinity;
        for (int c = 0; c < terms.Length; c++)
        {
            var s = Configurations[c];
            double sKx = 0;
            for (int i = 0; i < N; i++) sKx += s[i] * kx[i];
            terms[c] = logWeight(c) - 0.5 * (xKx - 2 * sKx + _sKs[c]);
            max = Math.Max(max, terms[c]);
        }
        double sum = 0;
        foreach (double t in terms) sum += Math.Exp(t - max);
        return max + Math.Log(sum) + 0.5 * LogDetPrecision - 0.5 * N * Math.Log(2 * Math.PI);
    }

    /// <summary>ln p(x) = ln sum_s p(s) N(x; s, K^{-1}).</summary>
    public double LogMarginal(double[] x) => LogSumOverSpins(x, c => Math.Log(SpinProbabilities[c]));

    /// <summary>ln q(x) for the uniform mixture q(x) = 2^{-N} sum_s N(x; s, K^{-1}).</summary>
    public double LogUniformMixture(double[] x) => LogSumOverSpins(x, _ => -N * Math.Log(2));

    /// <summary>x = s + V diag(kappa^{-1/2}) z: a draw from N(s, K^{-1}).</summary>
    public double[] SampleGaussian(sbyte[] s, ref RandomStream rng)
    {
        var x = new double[N];
        for (int i = 0; i < N; i++) x[i] = s[i];
        for (int k = 0; k < N; k++)
        {
            double y = rng.NextGaussian() / Math.Sqrt(PrecisionEigenvalues[k]);
            for (int i = 0; i < N; i++) x[i] += PrecisionEigenvectors[i * N + k] * y;
        }
        return x;
    }

    /// <summary>Index of a configuration drawn from the exact p(s) (inverse CDF).</summary>
    public int SampleSpinIndex(double[] cumulative, ref RandomStream rng)
    {
        double u = rng.NextDouble();
        int index = Array.BinarySearch(cumulative, u);
        if (index < 0) index = ~index;
        return Math.Min(index, cumulative.Length - 1);
    }

    public double[] Cumulative()
    {
        var c = new double[SpinProbabilities.Length];
        double acc = 0;
        for (int k = 0; k < c.Length; k++) { acc += SpinProbabilities[k]; c[k] = acc; }
        return c;
    }

    /// <summary>Configuration index (bit i set iff s_i = +1), the layout of <see cref="Configurations"/>.</summary>
    public static int IndexOf(ReadOnlySpan<sbyte> s)
    {
        int x = 0;
        for (int i = 0; i < s.Length; i++) if (s[i] == 1) x |= 1 << i;
        return x;
    }
}
