using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static Boltzmann.Autoregressive.Models.VectorLogSigmoid;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// CW_inf and 1P (<see cref="PrefixSumLogitForm"/>: logit_i = (M_&lt;i c + b) + w_i phi(M_&lt;i)) as plain vectorised loops:
/// the teacher-forced ln Q(x) = sum_i ln sigma(x_i logit_i) of every sample, its gradient with respect to the w_i, and
/// ancestral sampling.
/// </summary>
/// <remarks>
/// Why a hand-written kernel: the networks have N parameters and O(N) work per sample, so as libtorch operations
/// (cumsum, sign, affine map, log-sigmoid, sum, and their backward nodes over [batch, N] tensors, or ~15 operations per
/// spin on [batch] vectors while sampling) the step's time was dispatch and memory passes, not arithmetic. Here the
/// teacher-forced pass runs sample by sample: the prefix sums of one row (exact: integers), then the logits and
/// log-sigmoids over the row in 256-bit vectors, nothing stored; the backward pass recomputes them and adds
/// g_b sigma(-x_i logit_i) x_i phi(M_&lt;i) into the gradient row, which stays in L1. Ancestral sampling is sequential in i
/// within a sample, so it runs 4 samples per float64 vector (lanes = samples), reading the uniforms u[i, b] contiguously.
/// ln sigma(t) = min(t, 0) - ln(1 + e^{-|t|}); d ln sigma(t)/dt = sigma(-t).
/// </remarks>
internal static class PrefixSumKernel
{
    /// <summary>ln Q(x) of every sample: spins x [batch, N], weights w [N], into <paramref name="logQ"/> [batch].</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, PrefixSumLogitForm form, Span<T> logQ)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = weights.Length, batch = logQ.Length;
        var prefix = new T[n];
        var c = new Coefficients<T>(form);
        for (int b = 0; b < batch; b++)
        {
            var row = x.Slice(b * n, n);
            PrefixSums(row, prefix);
            logQ[b] = SumLogSigmoid(row, prefix, weights, c);
        }
    }

    /// <summary>Adds sum_b g_b d ln Q(x^b)/d w_i to <paramref name="gradWeights"/> [N] for the loss gradients g [batch].</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, PrefixSumLogitForm form, ReadOnlySpan<T> gradLogQ, Span<T> gradWeights)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = weights.Length, batch = gradLogQ.Length;
        var prefix = new T[n];
        var c = new Coefficients<T>(form);
        for (int b = 0; b < batch; b++)
        {
            T g = gradLogQ[b];
            if (g == T.Zero) continue;
            var row = x.Slice(b * n, n);
            PrefixSums(row, prefix);
            Accumulate(row, prefix, weights, c, g, gradWeights);
        }
    }

    /// <summary>
    /// Ancestral sampling in float64: x_i = +1 where u[i, b] &lt; sigma(logit_i) for uniforms u [N, batch], writing the spins
    /// x [batch, N] and ln Q [batch]. The probability and ln sigma share one exponential: with e = e^{-|z|},
    /// sigma(z) = 1/(1+e) for z &gt;= 0 and e/(1+e) otherwise.
    /// </summary>
    public static void Sample(ReadOnlySpan<double> uniforms, ReadOnlySpan<double> weights, PrefixSumLogitForm form, Span<double> x, Span<double> logQ)
    {
        int n = weights.Length, batch = logQ.Length, s = 0;
        var c = new Coefficients<double>(form);
        if (Vector256.IsHardwareAccelerated)
            for (; s + Vector256<double>.Count <= batch; s += Vector256<double>.Count)
                SampleBlock(uniforms, weights, c, x, logQ, n, batch, s);
        for (; s < batch; s++)
        {
            double m = 0, lq = 0;
            for (int i = 0; i < n; i++)
            {
                double z = c.Logit(m, weights[i]);
                double e = Math.Exp(-Math.Abs(z));
                double p = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                double xi = uniforms[i * batch + s] < p ? 1.0 : -1.0;
                double t = xi * z;
                lq += (t >= 0 ? 0.0 : t) - Math.Log(1.0 + e);
                x[s * n + i] = xi;
                m += xi;
            }
            logQ[s] = lq;
        }
    }

    /// <summary>Samples s .. s+3 of <see cref="Sample"/>, one per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SampleBlock(ReadOnlySpan<double> uniforms, ReadOnlySpan<double> weights, Coefficients<double> c,
                                    Span<double> x, Span<double> logQ, int n, int batch, int s)
    {
        var one = Vector256<double>.One;
        var zero = Vector256<double>.Zero;
        var m = zero;
        var lq = zero;
        ref double u0 = ref MemoryMarshal.GetReference(uniforms);
        Span<double> lanes = stackalloc double[Vector256<double>.Count];
        for (int i = 0; i < n; i++)
        {
            var z = c.Logit(m, Vector256.Create(weights[i]));
            var e = Vector256.Exp(-Vector256.Abs(z));
            var onePlus = one + e;
            var p = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, zero), one / onePlus, e / onePlus);
            var xi = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.LoadUnsafe(ref u0, (nuint)(i * batch + s)), p), one, -one);
            var t = xi * z;
            lq += Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(t, zero), zero, t) - Vector256.Log(onePlus);
            m += xi;
            xi.CopyTo(lanes);
            for (int k = 0; k < lanes.Length; k++) x[(s + k) * n + i] = lanes[k];
        }
        lq.CopyTo(logQ.Slice(s, Vector256<double>.Count));
    }

    /// <summary>M_&lt;i of one row: M_0 = 0, M_i = M_{i-1} + x_{i-1} (integers, exact in float32 and float64).</summary>
    private static void PrefixSums<T>(ReadOnlySpan<T> row, Span<T> prefix) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T m = T.Zero;
        for (int i = 0; i < row.Length; i++)
        {
            prefix[i] = m;
            m += row[i];
        }
    }

    /// <summary>sum_i ln sigma(x_i logit_i) over one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T SumLogSigmoid<T>(ReadOnlySpan<T> row, ReadOnlySpan<T> prefix, ReadOnlySpan<T> weights, Coefficients<T> c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = row.Length, i = 0;
        T total = T.Zero;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            ref T x0 = ref MemoryMarshal.GetReference(row);
            ref T m0 = ref MemoryMarshal.GetReference(prefix);
            ref T w0 = ref MemoryMarshal.GetReference(weights);
            var acc = Vector256<T>.Zero;
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                acc += LogSigmoid(Vector256.LoadUnsafe(ref x0, (nuint)i) * c.Logit(Vector256.LoadUnsafe(ref m0, (nuint)i), Vector256.LoadUnsafe(ref w0, (nuint)i)));
            if (i < n)
            {
                // The last partial vector as the full window ending at n; lanes before i were summed above.
                nuint start = (nuint)(n - Vector256<T>.Count);
                var y = LogSigmoid(Vector256.LoadUnsafe(ref x0, start) * c.Logit(Vector256.LoadUnsafe(ref m0, start), Vector256.LoadUnsafe(ref w0, start)));
                acc += Vector256.ConditionalSelect(TailMask<T>(i - (int)start), y, Vector256<T>.Zero);
                i = n;
            }
            total = Vector256.Sum(acc);
        }
        for (; i < n; i++) total += LogSigmoid(row[i] * c.Logit(prefix[i], weights[i]));
        return total;
    }

    /// <summary>Adds g sigma(-x_i logit_i) x_i phi(M_&lt;i) of one row to the gradient row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate<T>(ReadOnlySpan<T> row, ReadOnlySpan<T> prefix, ReadOnlySpan<T> weights, Coefficients<T> c, T g, Span<T> gradWeights)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = row.Length, i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            ref T x0 = ref MemoryMarshal.GetReference(row);
            ref T m0 = ref MemoryMarshal.GetReference(prefix);
            ref T w0 = ref MemoryMarshal.GetReference(weights);
            ref T gw0 = ref MemoryMarshal.GetReference(gradWeights);
            var vg = Vector256.Create(g);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                AccumulateWindow(ref x0, ref m0, ref w0, ref gw0, (nuint)i, c, vg);
            if (i < n)
            {
                // The last partial vector as the full window ending at n, with the lanes before i (done above) weighted 0.
                int start = n - Vector256<T>.Count;
                AccumulateWindow(ref x0, ref m0, ref w0, ref gw0, (nuint)start, c,
                                 Vector256.ConditionalSelect(TailMask<T>(i - start), vg, Vector256<T>.Zero));
                i = n;
            }
        }
        for (; i < n; i++)
        {
            T phi = c.Phi(prefix[i]);
            T t = row[i] * ((prefix[i] * c.Slope + c.Bias) + weights[i] * phi);
            gradWeights[i] += g / (T.One + T.Exp(t)) * row[i] * phi; // sigma(-t) = 1 / (1 + e^t)
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateWindow<T>(ref T x0, ref T m0, ref T w0, ref T gw0, nuint at, Coefficients<T> c, Vector256<T> g)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var xv = Vector256.LoadUnsafe(ref x0, at);
        var mv = Vector256.LoadUnsafe(ref m0, at);
        var phi = c.Phi(mv);
        var t = xv * ((mv * c.SlopeVector + c.BiasVector) + Vector256.LoadUnsafe(ref w0, at) * phi);
        // sigma(-t) = e / (1 + e) for t >= 0, 1 / (1 + e) for t < 0, with e = e^{-|t|} (no overflow).
        var e = ExpOfMinusAbs(t);
        var numerator = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(t, Vector256<T>.Zero), e, Vector256<T>.One);
        var d = g * numerator / (Vector256<T>.One + e) * xv * phi;
        (Vector256.LoadUnsafe(ref gw0, at) + d).StoreUnsafe(ref gw0, at);
    }

    /// <summary>b, c and phi of a <see cref="PrefixSumLogitForm"/> in the kernel's dtype.</summary>
    private readonly struct Coefficients<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public Coefficients(PrefixSumLogitForm form)
        {
            Bias = T.CreateTruncating(form.Bias);
            Slope = T.CreateTruncating(form.Slope);
            Sign = form.Feature == PrefixSumFeature.Sign;
            BiasVector = Vector256.Create(Bias);
            SlopeVector = Vector256.Create(Slope);
        }

        public T Bias { get; }
        public T Slope { get; }
        public bool Sign { get; }
        public Vector256<T> BiasVector { get; }
        public Vector256<T> SlopeVector { get; }

        public T Phi(T m) => Sign ? (m > T.Zero ? T.One : m < T.Zero ? -T.One : T.Zero) : m;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Phi(Vector256<T> m) => Sign
            ? (Vector256.GreaterThan(m, Vector256<T>.Zero) & Vector256<T>.One) - (Vector256.LessThan(m, Vector256<T>.Zero) & Vector256<T>.One)
            : m;

        /// <summary>(M c + b) + w phi(M), in the composition's order (no fused multiply-add: same rounding).</summary>
        public T Logit(T m, T w) => (m * Slope + Bias) + w * Phi(m);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Logit(Vector256<T> m, Vector256<T> w) => (m * SlopeVector + BiasVector) + w * Phi(m);
    }
}
