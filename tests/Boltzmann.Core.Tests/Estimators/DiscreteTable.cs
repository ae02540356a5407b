using Boltzmann.Random;

namespace Boltzmann.Core.Tests.Estimators;

/// <summary>
/// A target over the 2^10 configurations of 10 Ising spins given as an explicit table,
/// ln p~(s) = -beta H(s) with H = -sum_{i&lt;j} J_ij s_i s_j - sum_i h_i s_i (J_ij ~ N(0, 1/N), h_i ~ N(0, 0.1^2)),
/// and a model q given as a different normalised table. Every exact value is a plain sum over the table.
/// Spin i of state k is +1 if bit i of k is 0, -1 otherwise (the dataset convention).
/// </summary>
internal sealed class DiscreteTable
{
    public const int Spins = 10;
    public const int States = 1 << Spins;

    public double Beta { get; }
    public double[] LogTarget { get; } = new double[States];
    public double[] LogQ { get; } = new double[States];
    public double[] Energy { get; } = new double[States];
    public double[] MagnetizationSquared { get; } = new double[States];
    public double[] P { get; } = new double[States];
    public double[] Q { get; } = new double[States];
    public double ExactLnZ { get; }

    private readonly double[] _cdfP = new double[States];
    private readonly double[] _cdfQ = new double[States];

    /// <param name="qSharpness">ln q = qSharpness ln p~ + qNoise g_s + const: a different table (g_s ~ N(0,1) per state).</param>
    /// <param name="dropped">states where q = 0 (mode dropping); null for none.</param>
    public DiscreteTable(ulong seed, double beta = 1.0, double qSharpness = 0.7, double qNoise = 0.3, Func<int, bool>? dropped = null, bool qEqualsP = false)
    {
        Beta = beta;
        var rng = new RandomStream(seed);
        var j = new double[Spins, Spins];
        var h = new double[Spins];
        for (int a = 0; a < Spins; a++)
        {
            h[a] = 0.1 * rng.NextGaussian();
            for (int b = a + 1; b < Spins; b++) j[a, b] = rng.NextGaussian() / Math.Sqrt(Spins);
        }
        Span<int> s = stackalloc int[Spins];
        for (int k = 0; k < States; k++)
        {
            for (int a = 0; a < Spins; a++) s[a] = ((k >> a) & 1) == 0 ? 1 : -1;
            double e = 0, m = 0;
            for (int a = 0; a < Spins; a++)
            {
                e -= h[a] * s[a];
                m += s[a];
                for (int b = a + 1; b < Spins; b++) e -= j[a, b] * s[a] * s[b];
            }
            Energy[k] = e;
            MagnetizationSquared[k] = m * m / (Spins * Spins);
            LogTarget[k] = -beta * e;
        }
        ExactLnZ = LogSumExp(LogTarget);
        for (int k = 0; k < States; k++) P[k] = Math.Exp(LogTarget[k] - ExactLnZ);

        var rawQ = new double[States];
        for (int k = 0; k < States; k++)
        {
            double g = rng.NextGaussian();
            rawQ[k] = qEqualsP ? LogTarget[k] : (dropped is not null && dropped(k) ? double.NegativeInfinity : qSharpness * LogTarget[k] + qNoise * g);
        }
        double lnZq = LogSumExp(rawQ);
        for (int k = 0; k < States; k++)
        {
            // q = p must hold bit for bit in ln q - ln p~ (a constant), so reuse the target's values there.
            LogQ[k] = rawQ[k] - lnZq;
            Q[k] = Math.Exp(LogQ[k]);
        }
        Cumulate(P, _cdfP);
        Cumulate(Q, _cdfQ);
    }

    public int SampleP(ref RandomStream rng) => Draw(_cdfP, ref rng);

    public int SampleQ(ref RandomStream rng) => Draw(_cdfQ, ref rng);

    /// <summary>sum_s p(s) O(s).</summary>
    public double ExactMean(double[] observable)
    {
        double m = 0;
        for (int k = 0; k < States; k++) m += P[k] * observable[k];
        return m;
    }

    /// <summary>ESS/N = 1 / sum_s p(s)^2 / q(s) (0 if q misses part of p's support).</summary>
    public double ExactEssFraction
    {
        get
        {
            double s = 0;
            for (int k = 0; k < States; k++)
                if (P[k] > 0) s += Q[k] > 0 ? P[k] * P[k] / Q[k] : double.PositiveInfinity;
            return 1 / s;
        }
    }

    /// <summary>KL(q||p) = sum_s q ln(q/p).</summary>
    public double ExactReverseKl
    {
        get
        {
            double kl = 0;
            for (int k = 0; k < States; k++) if (Q[k] > 0) kl += Q[k] * (LogQ[k] - (LogTarget[k] - ExactLnZ));
            return kl;
        }
    }

    /// <summary>KL(p||q) = sum_s p ln(p/q).</summary>
    public double ExactForwardKl
    {
        get
        {
            double kl = 0;
            for (int k = 0; k < States; k++) kl += P[k] * ((LogTarget[k] - ExactLnZ) - LogQ[k]);
            return kl;
        }
    }

    /// <summary>Shannon entropy -sum_s p ln p.</summary>
    public double ExactEntropy
    {
        get
        {
            double h = 0;
            for (int k = 0; k < States; k++) h -= P[k] * (LogTarget[k] - ExactLnZ);
            return h;
        }
    }

    /// <summary>
    /// Stationary acceptance rate of the independence sampler: sum_x sum_y p(x) q(y) min(1, w(y)/w(x))
    /// with w = p/q (current state x ~ p, proposal y ~ q).
    /// </summary>
    public double ExactAcceptance
    {
        get
        {
            var lw = new double[States];
            for (int k = 0; k < States; k++) lw[k] = LogTarget[k] - LogQ[k];
            double a = 0;
            for (int x = 0; x < States; x++)
            {
                double inner = 0;
                for (int y = 0; y < States; y++) inner += Q[y] * Math.Exp(Math.Min(0, lw[y] - lw[x]));
                a += P[x] * inner;
            }
            return a;
        }
    }

    /// <summary>Proposals of q: ln p~, ln q and (row-major) the observables E and m^2 of n independent draws.</summary>
    public (double[] LogTarget, double[] LogQ, double[] Observables, int[] States) DrawFromQ(int n, ulong seed)
    {
        var rng = new RandomStream(seed);
        var lt = new double[n];
        var lq = new double[n];
        var obs = new double[2 * n];
        var states = new int[n];
        for (int i = 0; i < n; i++)
        {
            int k = SampleQ(ref rng);
            states[i] = k;
            lt[i] = LogTarget[k];
            lq[i] = LogQ[k];
            obs[2 * i] = Energy[k];
            obs[2 * i + 1] = MagnetizationSquared[k];
        }
        return (lt, lq, obs, states);
    }

    /// <summary>Independent draws from p: ln p~ and ln q of each.</summary>
    public (double[] LogTarget, double[] LogQ) DrawFromP(int n, ulong seed)
    {
        var rng = new RandomStream(seed);
        var lt = new double[n];
        var lq = new double[n];
        for (int i = 0; i < n; i++)
        {
            int k = SampleP(ref rng);
            lt[i] = LogTarget[k];
            lq[i] = LogQ[k];
        }
        return (lt, lq);
    }

    private static double LogSumExp(double[] x)
    {
        double m = double.NegativeInfinity;
        foreach (double v in x) m = Math.Max(m, v);
        double s = 0;
        foreach (double v in x) s += Math.Exp(v - m);
        return m + Math.Log(s);
    }

    private static void Cumulate(double[] prob, double[] cdf)
    {
        double c = 0;
        for (int k = 0; k < States; k++) { c += prob[k]; cdf[k] = c; }
        for (int k = 0; k < States; k++) cdf[k] /= c;
    }

    /// <summary>The first state whose cumulative probability exceeds u ~ U[0, 1): never a zero-probability state.</summary>
    private static int Draw(double[] cdf, ref RandomStream rng)
    {
        double u = rng.NextDouble();
        int lo = 0, hi = States - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (cdf[mid] > u) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
