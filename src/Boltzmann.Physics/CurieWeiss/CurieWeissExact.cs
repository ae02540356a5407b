using Boltzmann.Physics.Numerics;

namespace Boltzmann.Physics.CurieWeiss;

/// <summary>
/// Exact finite-N thermodynamics of the Curie-Weiss model by binomial sums, for N up to several thousand: the
/// reference the autoregressive samplers of Biazzo (2023, "The autoregressive neural network architecture of the
/// Boltzmann distribution of pairwise interacting spins systems", section III.A and SI sections I-II) are checked
/// against: ln Z, free energy, energy, P(M), the overlap distribution P(q) and the exact autoregressive conditionals.
/// </summary>
/// <remarks>
/// <para><b>Convention</b> (docs/conventions.md "Curie–Weiss", Biazzo eq. before 11): H(x) = -h sum_i x_i - (J/N) sum_{i&lt;j} x_i x_j,
/// x_i = +-1. With M = sum_i x_i, sum_{i&lt;j} x_i x_j = (M^2 - N)/2 (the i = j terms of M^2 removed), so
/// H = -h M - (J/2N)(M^2 - N) = -h M - (J/2N) M^2 + J/2 depends only on the number u of up spins, M = 2u - N. This
/// is the SK convention with all J_ij = J/N.</para>
/// <para><b>Partition function</b> (SI eq. 13, constant term checked): Z = sum_{u=0}^{N} C(N, u) e^{-beta E(u)}, i.e.
/// F = -(1/beta) ln sum_k C(N, k) exp(beta J (N - 2k)^2 / (2N) + beta h (N - 2k)) + J/2. The SI's printed eq. 13 has
/// the same constant +J/2 (correct) but drops the 1/N in the quadratic term and the beta on the field term; both are
/// typos (the form above matches brute-force enumeration, see the tests). All sums are done in log space with a
/// <see cref="LogFactorialTable"/> and log-sum-exp, so nothing overflows at any N or beta.</para>
/// <para><b>Autoregressive conditionals.</b> For the first t spins fixed with u of them up (Biazzo's i = t + 1 and
/// M_&lt;i = 2u - t), the marginal weight of the prefix is S(t, u) = sum_{v=0}^{N-t} C(N-t, v) e^{-beta E(u+v)} (a sum
/// over the number v of up spins among the remaining N - t), and
/// logit P(x_{t+1} = +1 | prefix) = ln S(t+1, u+1) - ln S(t+1, u). This equals Biazzo's eq. 11,
/// 2 beta h + 2 beta J M_&lt;/N + ln rho^+ - ln rho^-, with rho^+- = sum_{k=0}^{r} exp(b^+-_k + w_k M_&lt;),
/// b^+-_k = ln C(r, k) + (beta J/2N)(r - 2k)^2 + (r - 2k)(beta h +- beta J/N), w_k = (beta J/N)(r - 2k), r = N - t - 1
/// (main-text eqs. 13-14; the tests check both forms). Note that the final CW_N formula printed after eq. 14 has the two
/// log-sums with the opposite signs to eq. 11 (- ln rho^+ + ln rho^-); eq. 11 (+ ln rho^+ - ln rho^-) is the correct one.
/// Because C(n, v) = C(n-1, v) + C(n-1, v-1), S(t, u) = S(t+1, u) + S(t+1, u+1): the whole table of conditionals
/// follows in O(N^2) (<see cref="ConditionalLogitTable"/>).</para>
/// <para><b>Overlap.</b> P(q) between two independent configurations (never a configuration with itself), q = (1/N) sum_i
/// a_i b_i = 1 - 2d/N with d the number of differing spins: given u1 and u2 up spins, exchangeability makes the number a
/// of common up spins hypergeometric, C(u1, a) C(N-u1, u2-a) / C(N, u2), and d = u1 + u2 - 2a. See
/// <see cref="ComputeOverlapDistribution"/>.</para>
/// </remarks>
public sealed class CurieWeissExact
{
    /// <summary>Terms of P(q) smaller than this are not added: at most (N + 1)^3 of them, so the mass dropped is below
    /// 1e-19 even for N = 10^4.</summary>
    private const double OverlapContributionCutoff = 1e-31;

    private readonly LogFactorialTable _logFactorials;
    private readonly double[] _logWeight;
    private readonly double[] _probabilityUp;
    private double[]? _overlap;

    /// <summary>Number of spins.</summary>
    public int N { get; }

    /// <summary>Inverse temperature.</summary>
    public double Beta { get; }

    /// <summary>Coupling J of H = -h sum x - (J/N) sum_{i&lt;j} x_i x_j.</summary>
    public double J { get; }

    /// <summary>Uniform field h.</summary>
    public double H { get; }

    /// <summary>ln Z.</summary>
    public double LnZ { get; }

    /// <summary>f = -ln Z / (beta N); negative infinity at beta = 0.</summary>
    public double FreeEnergyPerSpin { get; }

    /// <summary>&lt;H&gt; (total, not per spin).</summary>
    public double MeanEnergy { get; }

    /// <summary>Var(H) = &lt;H^2&gt; - &lt;H&gt;^2 (computed about the mean).</summary>
    public double EnergyVariance { get; }

    /// <summary>Specific heat per spin, c = beta^2 Var(H) / N.</summary>
    public double SpecificHeat => Beta * Beta * EnergyVariance / N;

    /// <summary>&lt;m&gt;, m = M/N.</summary>
    public double MeanMagnetization { get; }

    /// <summary>&lt;|m|&gt;.</summary>
    public double MeanAbsMagnetization { get; }

    /// <summary>&lt;m^2&gt;.</summary>
    public double MeanMagnetizationSquared { get; }

    /// <summary>
    /// &lt;q^2&gt; between two independent configurations = (1/N^2) sum_ij &lt;x_i x_j&gt;^2 (diagonal included, so &gt;= 1/N).
    /// By permutation symmetry &lt;x_i x_j&gt; = c = (&lt;M^2&gt; - N) / (N (N - 1)) for i != j, so &lt;q^2&gt; = 1/N + (N - 1) c^2 / N.
    /// </summary>
    public double MeanQ2 { get; }

    /// <summary>&lt;q&gt; between two independent configurations = (1/N) sum_i &lt;x_i&gt;^2 = &lt;m&gt;^2.</summary>
    public double MeanQ => MeanMagnetization * MeanMagnetization;

    /// <summary>P(u up spins), u = 0..N, i.e. P(M = 2u - N) (see <see cref="MagnetizationValue"/>).</summary>
    public ReadOnlySpan<double> MagnetizationDistribution => _probabilityUp;

    /// <summary>Sums the binomial series for N spins at inverse temperature beta.</summary>
    /// <param name="n">Number of spins, 1 .. 10^7.</param>
    /// <param name="beta">Finite, &gt;= 0.</param>
    /// <param name="j">Finite coupling (negative: antiferromagnetic).</param>
    /// <param name="h">Finite field.</param>
    public CurieWeissExact(int n, double beta, double j = 1.0, double h = 0.0)
    {
        if (n <= 0 || n > 10_000_000) throw new ArgumentOutOfRangeException(nameof(n), n, "N must be in 1 .. 10^7.");
        if (!double.IsFinite(beta) || beta < 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "Inverse temperature must be finite and >= 0.");
        if (!double.IsFinite(j)) throw new ArgumentOutOfRangeException(nameof(j), j, "Coupling J must be finite.");
        if (!double.IsFinite(h)) throw new ArgumentOutOfRangeException(nameof(h), h, "Field h must be finite.");
        N = n;
        Beta = beta;
        J = j;
        H = h;
        _logFactorials = new LogFactorialTable(n);
        _logWeight = new double[n + 1];
        for (int u = 0; u <= n; u++) _logWeight[u] = -beta * EnergyOfUp(u);

        var terms = new double[n + 1];
        for (int u = 0; u <= n; u++) terms[u] = _logFactorials.LnBinomial(n, u) + _logWeight[u];
        LnZ = LogSumExp(terms);
        FreeEnergyPerSpin = beta == 0 ? double.NegativeInfinity : -LnZ / (beta * n);

        _probabilityUp = new double[n + 1];
        double meanE = 0, meanM = 0, absM = 0, m2 = 0;
        for (int u = 0; u <= n; u++)
        {
            double p = Math.Exp(terms[u] - LnZ);
            _probabilityUp[u] = p;
            double m = (2.0 * u - n) / n;
            meanE += p * EnergyOfUp(u);
            meanM += p * m;
            absM += p * Math.Abs(m);
            m2 += p * m * m;
        }
        double variance = 0;
        for (int u = 0; u <= n; u++)
        {
            double d = EnergyOfUp(u) - meanE;
            variance += _probabilityUp[u] * d * d;
        }
        MeanEnergy = meanE;
        EnergyVariance = variance;
        MeanMagnetization = meanM;
        MeanAbsMagnetization = absM;
        MeanMagnetizationSquared = m2;
        if (n == 1) MeanQ2 = 1.0;
        else
        {
            double c = (m2 * n * (double)n - n) / (n * (n - 1.0));
            MeanQ2 = 1.0 / n + (n - 1.0) * c * c / n;
        }
    }

    /// <summary>M = 2u - N for bin u of <see cref="MagnetizationDistribution"/>.</summary>
    public int MagnetizationValue(int up)
    {
        if ((uint)up > (uint)N) throw new ArgumentOutOfRangeException(nameof(up), up, $"Number of up spins must be in 0..{N}.");
        return 2 * up - N;
    }

    /// <summary>E(u) = -h M - (J/2N)(M^2 - N) with M = 2u - N: the energy of any configuration with u up spins.</summary>
    public double EnergyOfUp(int up)
    {
        if ((uint)up > (uint)N) throw new ArgumentOutOfRangeException(nameof(up), up, $"Number of up spins must be in 0..{N}.");
        double m = 2.0 * up - N;
        return -H * m - J / (2.0 * N) * (m * m - N);
    }

    /// <summary>H(x) of a configuration (N spins, +-1).</summary>
    public double Energy(ReadOnlySpan<sbyte> x) => EnergyOfUp(CountUp(x, N, nameof(x)));

    /// <summary>ln P(x) = -beta H(x) - ln Z.</summary>
    public double LogProbability(ReadOnlySpan<sbyte> x) => _logWeight[CountUp(x, N, nameof(x))] - LnZ;

    /// <summary>
    /// ln of the marginal probability of one particular prefix x_1..x_t with u up spins:
    /// ln S(t, u) - ln Z, S(t, u) = sum_{v=0}^{N-t} C(N-t, v) e^{-beta E(u+v)}. O(N - t).
    /// </summary>
    public double LogPrefixProbability(int prefixLength, int prefixUp)
    {
        CheckPrefix(prefixLength, prefixUp, allowFull: true);
        return LogS(prefixLength, prefixUp) - LnZ;
    }

    /// <summary>
    /// logit P(x_{t+1} = +1 | x_1..x_t) for a prefix of length t = <paramref name="prefixLength"/> (0 .. N-1) with
    /// u = <paramref name="prefixUp"/> up spins: ln S(t+1, u+1) - ln S(t+1, u). O(N - t).
    /// </summary>
    public double ConditionalLogit(int prefixLength, int prefixUp)
    {
        CheckPrefix(prefixLength, prefixUp, allowFull: false);
        return LogS(prefixLength + 1, prefixUp + 1) - LogS(prefixLength + 1, prefixUp);
    }

    /// <summary>P(x_{t+1} = +1 | x_1..x_t) = sigma(<see cref="ConditionalLogit"/>).</summary>
    public double ConditionalProbabilityUp(int prefixLength, int prefixUp) => Sigmoid(ConditionalLogit(prefixLength, prefixUp));

    /// <summary>P(x_{t+1} = +1 | prefix) for the given prefix spins (length t &lt; N, values +-1).</summary>
    public double ConditionalProbabilityUp(ReadOnlySpan<sbyte> prefix)
    {
        if (prefix.Length >= N)
            throw new ArgumentException($"A prefix has at most N - 1 = {N - 1} spins, got {prefix.Length}.", nameof(prefix));
        return ConditionalProbabilityUp(prefix.Length, CountUp(prefix, prefix.Length, nameof(prefix)));
    }

    /// <summary>
    /// All conditional logits: row t (0 .. N-1) has t + 1 entries, entry u = logit P(x_{t+1} = +1 | t spins of which u up).
    /// Built by the recursion S(t, u) = S(t+1, u) + S(t+1, u+1) (log-add-exp) in O(N^2) time; memory N(N+1)/2 doubles
    /// (N = 4000: 64 MB).
    /// </summary>
    public double[][] ConditionalLogitTable()
    {
        int n = N;
        var table = new double[n][];
        var next = (double[])_logWeight.Clone();   // ln S(N, u), u = 0..N
        var current = new double[n + 1];
        for (int t = n - 1; t >= 0; t--)
        {
            // next holds ln S(t+1, u) for u = 0..t+1.
            var row = new double[t + 1];
            for (int u = 0; u <= t; u++) row[u] = next[u + 1] - next[u];
            table[t] = row;
            for (int u = 0; u <= t; u++) current[u] = LogAddExp(next[u], next[u + 1]);
            (next, current) = (current, next);
        }
        return table;
    }

    /// <summary>
    /// Exact P(d) for two independent configurations, d = 0..N differing spins, q_d = 1 - 2d/N (index 0 is q = +1, the
    /// same layout as <see cref="Sk.ExactThermodynamics.OverlapDistribution"/>). Sum over the up-counts (u1, u2) of the
    /// two replicas of P(u1) P(u2) times the hypergeometric law of the common up spins, summed outward from its mode
    /// with ratio recursions. Contributions below 1e-31 are skipped (total dropped mass &lt; 1e-19 for N &lt;= 10^4), so the result
    /// is exact to rounding (~1e-15 absolute). Cost about (number of relevant u)^2 x (hypergeometric width ~ sqrt N): ~0.1 s
    /// at N = 1000 and ~1 s at N = 2000 near the critical point, where P(M) is widest (Release build). Computed once and
    /// cached; a fresh copy is returned.
    /// </summary>
    public double[] ComputeOverlapDistribution()
    {
        var cached = Volatile.Read(ref _overlap);
        if (cached is null)
        {
            cached = OverlapDistributionCore();
            Volatile.Write(ref _overlap, cached);
        }
        return (double[])cached.Clone();
    }

    private double[] OverlapDistributionCore()
    {
        int n = N;
        var pd = new double[n + 1];
        var active = new List<int>();
        for (int u = 0; u <= n; u++) if (_probabilityUp[u] >= OverlapContributionCutoff) active.Add(u);
        var scratch = new double[n + 1];
        for (int x = 0; x < active.Count; x++)
        {
            int u1 = active[x];
            for (int y = x; y < active.Count; y++)
            {
                int u2 = active[y];
                double w = _probabilityUp[u1] * _probabilityUp[u2] * (u1 == u2 ? 1.0 : 2.0);
                AddHypergeometric(n, u1, u2, w, pd, scratch);
            }
        }
        for (int d = 0; d <= n; d++) pd[d] = Math.Max(0.0, pd[d]);
        return pd;
    }

    /// <summary>
    /// pd[u1 + u2 - 2a] += w P(a), P(a) = C(u1, a) C(N-u1, u2-a) / C(N, u2) (a = common up spins). The terms are generated
    /// outward from the mode by the exact ratio recursions (no exponentials), stopped once w P(a) falls below
    /// <see cref="OverlapContributionCutoff"/> (the law is unimodal, so every later term is smaller), and renormalised to sum 1:
    /// the log-binomials of numbers ~10^4 carry absolute rounding ~1e-12, which the normalisation removes.
    /// </summary>
    private void AddHypergeometric(int n, int u1, int u2, double w, double[] pd, double[] scratch)
    {
        int lo = Math.Max(0, u1 + u2 - n);
        int hi = Math.Min(u1, u2);
        int mode = Math.Clamp((int)Math.Floor((u1 + 1.0) * (u2 + 1.0) / (n + 2.0)), lo, hi);
        double pMode = Math.Exp(_logFactorials.LnBinomial(u1, mode) + _logFactorials.LnBinomial(n - u1, u2 - mode) - _logFactorials.LnBinomial(n, u2));
        if (w * pMode < OverlapContributionCutoff) return;
        double cut = OverlapContributionCutoff / w;
        scratch[mode] = pMode;
        double total = pMode;
        int top = mode, bottom = mode;
        // P(a+1)/P(a) = (u1 - a)(u2 - a) / ((a + 1)(N - u1 - u2 + a + 1)).
        double p = pMode;
        for (int a = mode; a < hi; a++)
        {
            p *= (u1 - a) * (double)(u2 - a) / ((a + 1.0) * (n - u1 - u2 + a + 1.0));
            if (p < cut) break;
            scratch[a + 1] = p;
            total += p;
            top = a + 1;
        }
        // P(a-1)/P(a) = a (N - u1 - u2 + a) / ((u1 - a + 1)(u2 - a + 1)).
        p = pMode;
        for (int a = mode; a > lo; a--)
        {
            p *= a * (double)(n - u1 - u2 + a) / ((u1 - a + 1.0) * (u2 - a + 1.0));
            if (p < cut) break;
            scratch[a - 1] = p;
            total += p;
            bottom = a - 1;
        }
        double scale = w / total;
        int dBase = u1 + u2;
        for (int a = bottom; a <= top; a++) pd[dBase - 2 * a] += scale * scratch[a];
    }

    /// <summary>ln S(t, u) = ln sum_{v=0}^{N-t} C(N-t, v) e^{-beta E(u+v)}.</summary>
    private double LogS(int t, int u)
    {
        int rest = N - t;
        double max = double.NegativeInfinity;
        for (int v = 0; v <= rest; v++) max = Math.Max(max, _logFactorials.LnBinomial(rest, v) + _logWeight[u + v]);
        double sum = 0;
        for (int v = 0; v <= rest; v++) sum += Math.Exp(_logFactorials.LnBinomial(rest, v) + _logWeight[u + v] - max);
        return max + Math.Log(sum);
    }

    private void CheckPrefix(int prefixLength, int prefixUp, bool allowFull)
    {
        int maxLength = allowFull ? N : N - 1;
        if (prefixLength < 0 || prefixLength > maxLength)
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"Prefix length must be in 0..{maxLength}.");
        if (prefixUp < 0 || prefixUp > prefixLength)
            throw new ArgumentOutOfRangeException(nameof(prefixUp), prefixUp, $"Up spins in a prefix of length {prefixLength} must be in 0..{prefixLength}.");
    }

    private static int CountUp(ReadOnlySpan<sbyte> x, int expectedLength, string name)
    {
        if (x.Length != expectedLength) throw new ArgumentException($"Expected {expectedLength} spins, got {x.Length}.", name);
        int up = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] == 1) up++;
            else if (x[i] != -1) throw new ArgumentException($"Spin {i} is {x[i]}; spins must be +1 or -1.", name);
        }
        return up;
    }

    private static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values) max = Math.Max(max, v);
        double sum = 0;
        foreach (double v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    private static double LogAddExp(double a, double b)
    {
        double max = Math.Max(a, b);
        return max + Math.Log(1.0 + Math.Exp(Math.Min(a, b) - max));
    }

    private static double Sigmoid(double u) => 1.0 / (1.0 + Math.Exp(-u));
}
