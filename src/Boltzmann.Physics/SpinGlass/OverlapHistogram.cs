using Boltzmann.Spins;
using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// Accumulates the overlap q = (1/N) sum_i s_i t_i between pairs of configurations and turns it into
/// P_J(q) with blocked errors. The caller supplies the pairs; they must come from independent samples
/// (two chains, two independent model draws) and never pair a configuration with itself, which would put
/// a spurious spike at q = 1 (docs/conventions.md, "Overlaps"). Distances are stored in arrival order (2 bytes per pair), so
/// errors use contiguous blocks and stay honest for Markov-chain pairs.
/// </summary>
public sealed class OverlapHistogram
{
    private readonly List<ushort> _distances;

    public OverlapHistogram(int n, int capacity = 0)
    {
        if (n <= 0 || n > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(n), n, $"Spin count must be in 1..{ushort.MaxValue}.");
        N = n;
        _distances = new List<ushort>(Math.Max(0, capacity));
    }

    public int N { get; }

    public long Pairs => _distances.Count;

    /// <summary>Adds the pair (a, b) of ±1 configurations.</summary>
    public void Add(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        if (a.Length != N || b.Length != N)
            throw new ArgumentException($"Configurations have {a.Length} and {b.Length} spins; expected {N}.");
        int d = 0;
        for (int i = 0; i < N; i++) d += a[i] != b[i] ? 1 : 0;
        _distances.Add((ushort)d);
    }

    /// <summary>Adds the pair (a, b) of configurations packed with <see cref="SpinPacking"/>.</summary>
    public void AddPacked(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => AddDistance(SpinPacking.HammingDistance(a, b, N));

    /// <summary>Adds a pair by its Hamming distance d (q = 1 - 2d/N).</summary>
    public void AddDistance(int distance)
    {
        if ((uint)distance > (uint)N) throw new ArgumentOutOfRangeException(nameof(distance), distance, $"Hamming distance must be in 0..{N}.");
        _distances.Add((ushort)distance);
    }

    /// <summary>
    /// Adds the pairs (rows[2k], rows[2k+1]) of a batch of row-major ±1 configurations (N per row): disjoint
    /// pairs of independent draws, so no configuration is paired with itself or reused.
    /// </summary>
    public void AddDisjointPairs(ReadOnlySpan<sbyte> rows)
    {
        if (rows.Length % N != 0) throw new ArgumentException($"Batch length {rows.Length} is not a multiple of N = {N}.", nameof(rows));
        int count = rows.Length / N;
        for (int k = 0; k + 1 < count; k += 2) Add(rows.Slice(k * N, N), rows.Slice((k + 1) * N, N));
    }

    /// <summary>Same as <see cref="AddDisjointPairs(ReadOnlySpan{sbyte})"/> for ±1 values stored as floats.</summary>
    public void AddDisjointPairs(ReadOnlySpan<float> rows)
    {
        if (rows.Length % N != 0) throw new ArgumentException($"Batch length {rows.Length} is not a multiple of N = {N}.", nameof(rows));
        int count = rows.Length / N;
        for (int k = 0; k + 1 < count; k += 2)
        {
            var a = rows.Slice(k * N, N);
            var b = rows.Slice((k + 1) * N, N);
            int d = 0;
            for (int i = 0; i < N; i++) d += (a[i] > 0) != (b[i] > 0) ? 1 : 0;
            _distances.Add((ushort)d);
        }
    }

    /// <summary>
    /// P(q_k) with the standard error of each bin from <paramref name="blocks"/> contiguous blocks
    /// (the block means of the indicator are treated as independent), and &lt;q^2&gt;, &lt;|q|&gt; with blocked errors.
    /// </summary>
    public OverlapDistribution Result(int blocks = 32)
    {
        int count = _distances.Count;
        if (count < 2) throw new InvalidOperationException($"P(q) needs at least 2 pairs; have {count}.");
        blocks = Math.Clamp(blocks, 2, count);
        int blockLength = count / blocks;
        int used = blockLength * blocks;
        var blockCounts = new long[blocks, N + 1];
        var total = new long[N + 1];
        var q2 = new double[count];
        var absQ = new double[count];
        for (int t = 0; t < count; t++)
        {
            int d = _distances[t];
            total[d]++;
            if (t < used) blockCounts[t / blockLength, d]++;
            double q = 1.0 - 2.0 * d / N;
            q2[t] = q * q;
            absQ[t] = Math.Abs(q);
        }
        var probability = new double[N + 1];
        var error = new double[N + 1];
        for (int k = 0; k <= N; k++)
        {
            probability[k] = (double)total[k] / count;
            double mean = 0, sq = 0;
            for (int b = 0; b < blocks; b++)
            {
                double f = (double)blockCounts[b, k] / blockLength;
                mean += f;
                sq += f * f;
            }
            mean /= blocks;
            double variance = Math.Max(0, sq / blocks - mean * mean) * blocks / (blocks - 1);
            error[k] = Math.Sqrt(variance / blocks);
        }
        return new OverlapDistribution(N, probability, error, count, Binning.Mean(q2, blocks), Binning.Mean(absQ, blocks));
    }
}
