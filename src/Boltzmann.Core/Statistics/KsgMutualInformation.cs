namespace Boltzmann.Statistics;

/// <summary>
/// The Kraskov-Stoegbauer-Grassberger k-nearest-neighbour estimator of the mutual information I(X; Y) of two scalar
/// variables from paired samples (A. Kraskov, H. Stoegbauer, P. Grassberger, "Estimating mutual information",
/// Phys. Rev. E 69, 066138 (2004), arXiv:cond-mat/0305641, their first estimator, eq. 8):
/// I = psi(k) + psi(n) − &lt;psi(n_x + 1) + psi(n_y + 1)&gt;, with eps_i the max-norm distance of point i to its k-th
/// neighbour in the joint space and n_x (n_y) the number of other points strictly closer than eps_i in x (y). In
/// nats. It is the MI estimator of the NeuralRG interpretation figure (Li &amp; Wang 2018, Fig. 4b, c). Brute force
/// O(n^2) per pair, allocation-free apart from one scratch array per call; ties have probability zero for
/// continuous data.
/// </summary>
public static class KsgMutualInformation
{
    /// <summary>Default neighbour order (KSG recommend k = 2-4).</summary>
    public const int DefaultK = 3;

    /// <summary>I(X; Y) in nats from the paired samples (x_i, y_i).</summary>
    public static double Estimate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int k = DefaultK)
    {
        int n = x.Length;
        if (y.Length != n) throw new ArgumentException($"x has {n} samples, y has {y.Length}; they must be paired.", nameof(y));
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{n - 1} for {n} samples.");
        var nearest = new double[k]; // the k smallest joint distances so far, ascending
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            Array.Fill(nearest, double.PositiveInfinity);
            double xi = x[i], yi = y[i];
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double d = Math.Max(Math.Abs(x[j] - xi), Math.Abs(y[j] - yi));
                if (d >= nearest[k - 1]) continue;
                int p = k - 1;
                while (p > 0 && nearest[p - 1] > d) { nearest[p] = nearest[p - 1]; p--; }
                nearest[p] = d;
            }
            double eps = nearest[k - 1];
            int nx = 0, ny = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                if (Math.Abs(x[j] - xi) < eps) nx++;
                if (Math.Abs(y[j] - yi) < eps) ny++;
            }
            sum += Digamma(nx + 1) + Digamma(ny + 1);
        }
        return Digamma(k) + Digamma(n) - sum / n;
    }

    /// <summary>psi(m) = −gamma + sum_{j=1}^{m−1} 1/j for integers m ≥ 1 (asymptotic series for large m).</summary>
    public static double Digamma(int m)
    {
        if (m < 1) throw new ArgumentOutOfRangeException(nameof(m), m, "Digamma is evaluated at positive integers here.");
        if (m < 32)
        {
            double s = -0.57721566490153286;
            for (int j = 1; j < m; j++) s += 1.0 / j;
            return s;
        }
        double inv = 1.0 / m, inv2 = inv * inv;
        return Math.Log(m) - 0.5 * inv - inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 / 252));
    }
}
