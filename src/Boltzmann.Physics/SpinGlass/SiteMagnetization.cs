using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// Per-site magnetisations m_i = &lt;s_i&gt; of a stream of configurations, with blocked errors, and a mode-collapse
/// indicator. Hartnett &amp; Mohseni (2020, section 4.4) observe that every sampler gives a total magnetisation
/// M = sum_i &lt;s_i&gt; close to 0, but the reverse-KL-trained flow alone has non-zero per-site magnetisations
/// &lt;s_i&gt; != 0: it has collapsed onto one of the Z2-related (and many other) states. Without a field the exact
/// Boltzmann distribution is invariant under s -&gt; -s, so every m_i = 0.
/// <para>
/// The indicator is C = (1/N) sum_i m_i^2. The naive plug-in (1/N) sum_i m^_i^2 is biased upwards by the variance
/// of m^_i (about 1/M for independent samples), so C is estimated from B contiguous blocks by the U-statistic
/// (1/N) sum_i (1/(B(B-1))) sum_{b != c} m_i^(b) m_i^(c), whose expectation is exactly (1/N) sum_i m_i^2 when
/// blocks are independent; its error is the delete-one-block jackknife. C is 0 for a Z2-symmetric sampler
/// (up to noise) and approaches q_EA for a sampler stuck in one state.
/// </para>
/// Configurations arrive in order (Markov-chain samples are fine: contiguous blocks absorb short correlations).
/// Memory: the sum of s_i per (block of <see cref="BlockLength"/> configurations); nothing per configuration.
/// </summary>
public sealed class SiteMagnetization
{
    private readonly int _blockLength;
    private readonly List<long[]> _blockSums = [];
    private long[] _current;
    private int _inCurrent;

    /// <param name="n">Number of spins.</param>
    /// <param name="blockLength">Configurations per block (the unit of the error analysis); choose M / 32 or so.</param>
    public SiteMagnetization(int n, int blockLength)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Spin count must be >= 1.");
        if (blockLength <= 0) throw new ArgumentOutOfRangeException(nameof(blockLength), blockLength, "Block length must be >= 1.");
        N = n;
        _blockLength = blockLength;
        _current = new long[n];
    }

    public int N { get; }

    public int BlockLength => _blockLength;

    /// <summary>Configurations added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one +-1 configuration.</summary>
    public void Add(ReadOnlySpan<sbyte> spins)
    {
        if (spins.Length != N) throw new ArgumentException($"Configuration has {spins.Length} spins; expected {N}.", nameof(spins));
        for (int i = 0; i < N; i++)
        {
            int s = spins[i];
            if (s != 1 && s != -1) throw new ArgumentException($"Spin {i} is {s}; spins must be +1 or -1.", nameof(spins));
            _current[i] += s;
        }
        Count++;
        if (++_inCurrent == _blockLength)
        {
            _blockSums.Add(_current);
            _current = new long[N];
            _inCurrent = 0;
        }
    }

    /// <summary>Adds the rows of a row-major batch (count x N) of +-1 configurations.</summary>
    public void AddRows(ReadOnlySpan<sbyte> rows)
    {
        if (rows.Length % N != 0) throw new ArgumentException($"Batch length {rows.Length} is not a multiple of N = {N}.", nameof(rows));
        for (int r = 0; r < rows.Length / N; r++) Add(rows.Slice(r * N, N));
    }

    /// <summary>
    /// m_i with errors from the complete blocks (a trailing partial block is left out so every block has the same
    /// weight), the mean |m_i| (plug-in, for display) and the bias-free indicator C = (1/N) sum_i m_i^2.
    /// Needs at least 2 complete blocks.
    /// </summary>
    public SiteMagnetizationResult Result()
    {
        int b = _blockSums.Count;
        if (b < 2) throw new InvalidOperationException($"Site magnetisations need at least 2 complete blocks of {_blockLength} configurations; have {b} ({Count} configurations).");
        var means = new double[b, N];
        for (int k = 0; k < b; k++)
            for (int i = 0; i < N; i++) means[k, i] = (double)_blockSums[k][i] / _blockLength;
        var sites = new Estimate[N];
        var sum = new double[N];
        var sumSq = new double[N];
        double meanAbs = 0;
        for (int i = 0; i < N; i++)
        {
            double s = 0, s2 = 0;
            for (int k = 0; k < b; k++) { s += means[k, i]; s2 += means[k, i] * means[k, i]; }
            sum[i] = s;
            sumSq[i] = s2;
            double m = s / b;
            double variance = Math.Max(0, s2 / b - m * m) * b / (b - 1.0);
            sites[i] = new Estimate(m, Math.Sqrt(variance / b), double.NaN, double.NaN, (long)b * _blockLength);
            meanAbs += Math.Abs(m);
        }
        meanAbs /= N;

        // U-statistic over blocks and its delete-one jackknife.
        double Indicator(int leaveOut)
        {
            int bb = leaveOut < 0 ? b : b - 1;
            double total = 0;
            for (int i = 0; i < N; i++)
            {
                double s = sum[i], s2 = sumSq[i];
                if (leaveOut >= 0) { s -= means[leaveOut, i]; s2 -= means[leaveOut, i] * means[leaveOut, i]; }
                total += (s * s - s2) / (bb * (bb - 1.0));
            }
            return total / N;
        }
        double full = Indicator(-1);
        double jackError = 0;
        if (b >= 3)
        {
            var leave = new double[b];
            double lm = 0;
            for (int k = 0; k < b; k++) { leave[k] = Indicator(k); lm += leave[k]; }
            lm /= b;
            double ss = 0;
            foreach (double v in leave) ss += (v - lm) * (v - lm);
            jackError = Math.Sqrt((b - 1.0) / b * ss);
        }
        else jackError = double.NaN;
        var indicator = new Estimate(full, jackError, double.NaN, double.NaN, (long)b * _blockLength);
        return new SiteMagnetizationResult(N, sites, meanAbs, indicator, b);
    }
}
