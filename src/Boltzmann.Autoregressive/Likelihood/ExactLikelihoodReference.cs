using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Likelihood;

/// <summary>
/// Exact likelihood quantities of a model Q against the Boltzmann distribution p of a small instance, by summing over
/// all 2^N configurations: the cross entropy H(p, Q) = -sum_x p ln Q (what the held-out negative log-likelihood of
/// exact samples estimates), the entropy S = -sum p ln p and the forward divergence KL(p||Q) = H(p, Q) - S &gt;= 0, which
/// maximum likelihood minimises (Biazzo 2023, SI eq. 48 is its sample estimate up to the constant S).
/// </summary>
public static class ExactLikelihoodReference
{
    /// <summary>
    /// Largest N enumerated: 2^24 configurations, the limit of the exact enumeration the probabilities p come from
    /// (the physics library's SkExactEnumeration.MaxN), and already a [2^24, 24] float64 tensor of 3.2 GB.
    /// </summary>
    public const int MaxN = 24;

    /// <summary>
    /// All 2^N configurations in enumeration index order (bit i of the index set iff s_i = +1, the order of the exact
    /// enumeration's probabilities), as float64 [2^N, N].
    /// </summary>
    public static Tensor Configurations(int n, Device? device = null)
    {
        if (n < 1 || n > MaxN) throw new ArgumentOutOfRangeException(nameof(n), n, $"N must be in [1, {MaxN}].");
        long count = 1L << n;
        var x = new double[count * n];
        for (long c = 0; c < count; c++)
            for (int i = 0; i < n; i++) x[c * n + i] = ((c >> i) & 1) == 1 ? 1.0 : -1.0;
        return tensor(x, [count, n], dtype: ScalarType.Float64, device: device ?? CPU);
    }

    /// <summary>ln Q(x) of every configuration, in index order.</summary>
    public static double[] LogProbabilities(AutoregressiveModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var lnq = model.LogProb(Configurations(model.N, model.Device));
        return lnq.to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
    }

    /// <summary>H(p, Q) = -sum_x p(x) ln Q(x) in nats.</summary>
    public static double CrossEntropy(ReadOnlySpan<double> p, ReadOnlySpan<double> lnQ)
    {
        if (p.Length != lnQ.Length) throw new ArgumentException($"p has {p.Length} entries, ln Q has {lnQ.Length}.", nameof(lnQ));
        double h = 0;
        for (int c = 0; c < p.Length; c++)
            if (p[c] > 0) h -= p[c] * lnQ[c];
        return h;
    }

    /// <summary>KL(p||Q) = sum_x p ln(p/Q) in nats.</summary>
    public static double ForwardKl(ReadOnlySpan<double> p, ReadOnlySpan<double> lnQ)
    {
        if (p.Length != lnQ.Length) throw new ArgumentException($"p has {p.Length} entries, ln Q has {lnQ.Length}.", nameof(lnQ));
        double kl = 0;
        for (int c = 0; c < p.Length; c++)
            if (p[c] > 0) kl += p[c] * (Math.Log(p[c]) - lnQ[c]);
        return kl;
    }
}
