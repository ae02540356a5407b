using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The branches of the SK_RS / SK_kRSB conditionals (Biazzo 2023, eq. 20) as one fused, vectorised pass per conditional:
/// <code>
/// ln rho_i = sum_{l&gt;i} g_il(F^(i)_l),  g = ln sigma(b_1 + w_1 ln sigma(b_2 + ... ln sigma(b_{k+1} + w_{k+1} F))),
/// F^(i)_l = sum_{s&lt;i} J_sl x_s  (eq. 9), F^(i+1) = F^(i) + x_i J_{i,:}  (eq. 10)
/// </code>
/// Why a hand-written kernel: the step is bound by the (k+1) N(N-1)/2 log-sigmoids per sample and branch; run as
/// libtorch element-wise kernels over [batch, pairs] tensors they cost one memory pass per operation and autograd keeps
/// every intermediate for the backward pass. Here the k+1 nested layers of one (sample, conditional) run in registers
/// over the contiguous parameter row w_t[i, i+1..N-1], the prefix fields are carried by the recursion of eq. 10 (only the
/// N(N-1)/2 pair fields, never a [batch, N, N] tensor), and the backward pass recomputes the chain instead of storing it:
/// nothing of size batch x pairs is ever allocated.
/// </summary>
/// <remarks>
/// Layout (all row-major, contiguous): spins x [batch, N]; couplings J [N, N]; per branch weight and bias
/// [k+1, N, N] with layer index t = 0 outermost (the paper's layer t + 1), entry (t, i, l) used for l &gt; i only;
/// outputs [batch, N] (conditional N - 1 has no later spin: 0). Loops run conditional-outer, sample-inner, so the
/// parameter rows (and in the backward pass their gradient rows) of conditional i stay in L1 while the batch streams
/// through. ln sigma(z) = min(z, 0) - ln(1 + e^{-|z|}) (no overflow); d ln sigma(z)/dz = sigma(-z) = 1 / (1 + e^z).
/// </remarks>
internal static class SkBranchKernel
{
    /// <summary>The weights and biases of one branch (+ or -) as flat [k+1, N, N] spans.</summary>
    public readonly ref struct Branch<T>(ReadOnlySpan<T> weight, ReadOnlySpan<T> bias)
    {
        public ReadOnlySpan<T> Weight { get; } = weight;
        public ReadOnlySpan<T> Bias { get; } = bias;
    }

    /// <summary>Gradient accumulators of one branch, flat [k+1, N, N] (added to, not overwritten).</summary>
    public readonly ref struct BranchGradient<T>(Span<T> weight, Span<T> bias)
    {
        public Span<T> Weight { get; } = weight;
        public Span<T> Bias { get; } = bias;
    }

    /// <summary>
    /// Teacher-forced branches for every conditional: writes ln rho+_i and ln rho-_i of each sample to
    /// <paramref name="outPlus"/> and <paramref name="outMinus"/> [batch, N].
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> couplings, int n, int layers,
                                  Branch<T> plus, Branch<T> minus, Span<T> outPlus, Span<T> outMinus)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int batch = x.Length / n;
        var fields = new T[(long)batch * n];
        outPlus.Clear();
        outMinus.Clear();
        for (int i = 0; i < n - 1; i++)
        {
            int offset = i * n + i + 1, m = n - 1 - i;
            for (int b = 0; b < batch; b++)
            {
                var f = fields.AsSpan(b * n + i + 1, m);
                outPlus[b * n + i] = Sum(f, plus, layers, n, offset);
                outMinus[b * n + i] = Sum(f, minus, layers, n, offset);
            }
            Advance(fields, x, couplings, n, i);
        }
    }

    /// <summary>
    /// Backward pass of <see cref="Forward"/>: given dL/d ln rho+- [batch, N], adds dL/dw and dL/db of both branches to
    /// the gradient spans (the chain is recomputed from the spins; nothing was stored by the forward pass).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> couplings, int n, int layers,
                                   Branch<T> plus, Branch<T> minus, ReadOnlySpan<T> gradPlus, ReadOnlySpan<T> gradMinus,
                                   BranchGradient<T> plusGradient, BranchGradient<T> minusGradient)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int batch = x.Length / n;
        var fields = new T[(long)batch * n];
        Span<Vector512<T>> inputs = stackalloc Vector512<T>[layers];
        Span<Vector512<T>> preActivations = stackalloc Vector512<T>[2 * layers];
        for (int i = 0; i < n - 1; i++)
        {
            int offset = i * n + i + 1, m = n - 1 - i;
            for (int b = 0; b < batch; b++)
            {
                var f = fields.AsSpan(b * n + i + 1, m);
                T gp = gradPlus[b * n + i], gm = gradMinus[b * n + i];
                if (gp != T.Zero) Accumulate(f, plus, plusGradient, layers, n, offset, gp, inputs, preActivations);
                if (gm != T.Zero) Accumulate(f, minus, minusGradient, layers, n, offset, gm, inputs, preActivations);
            }
            Advance(fields, x, couplings, n, i);
        }
    }

    /// <summary>
    /// One conditional i of ancestral sampling: from the carried prefix fields F^(i) [batch, N] (eq. 10), writes
    /// ln rho+_i and ln rho-_i of each sample to <paramref name="outPlus"/> and <paramref name="outMinus"/> [batch].
    /// </summary>
    public static void Conditional<T>(ReadOnlySpan<T> fields, int n, int layers, int i, Branch<T> plus, Branch<T> minus,
                                      Span<T> outPlus, Span<T> outMinus)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int batch = fields.Length / n, offset = i * n + i + 1, m = n - 1 - i;
        for (int b = 0; b < batch; b++)
        {
            var f = fields.Slice(b * n + i + 1, m);
            outPlus[b] = m > 0 ? Sum(f, plus, layers, n, offset) : T.Zero;
            outMinus[b] = m > 0 ? Sum(f, minus, layers, n, offset) : T.Zero;
        }
    }

    /// <summary>F^(i+1)_l = F^(i)_l + x_i J_il for l &gt; i (eq. 10; entries l &lt;= i are never read again).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Advance<T>(Span<T> fields, ReadOnlySpan<T> x, ReadOnlySpan<T> couplings, int n, int i)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int batch = x.Length / n, m = n - 1 - i;
        var row = couplings.Slice(i * n + i + 1, m);
        for (int b = 0; b < batch; b++)
        {
            var f = fields.Slice(b * n + i + 1, m);
            T s = x[b * n + i];
            ref T f0 = ref MemoryMarshal.GetReference(f);
            ref T r0 = ref MemoryMarshal.GetReference(row);
            int l = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var vs = Vector512.Create(s);
                for (; l + Vector512<T>.Count <= m; l += Vector512<T>.Count)
                    (Vector512.LoadUnsafe(ref f0, (nuint)l) + vs * Vector512.LoadUnsafe(ref r0, (nuint)l)).StoreUnsafe(ref f0, (nuint)l);
            }
            for (; l < m; l++) Unsafe.Add(ref f0, l) += s * Unsafe.Add(ref r0, l);
        }
    }

    /// <summary>sum_l g_il(F_l) over one contiguous row of later fields.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Sum<T>(ReadOnlySpan<T> f, Branch<T> branch, int layers, int n, int offset)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int m = f.Length, stride = n * n, l = 0;
        ref T w0 = ref MemoryMarshal.GetReference(branch.Weight);
        ref T b0 = ref MemoryMarshal.GetReference(branch.Bias);
        ref T f0 = ref MemoryMarshal.GetReference(f);
        T total = T.Zero;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<T>.Zero;
            for (; l + Vector512<T>.Count <= m; l += Vector512<T>.Count)
            {
                var y = Vector512.LoadUnsafe(ref f0, (nuint)l);
                for (int t = layers - 1; t >= 0; t--)
                {
                    nuint o = (nuint)(t * stride + offset + l);
                    y = LogSigmoid(Fma(Vector512.LoadUnsafe(ref w0, o), y, Vector512.LoadUnsafe(ref b0, o)));
                }
                acc += y;
            }
            if (l < m && m >= Vector512<T>.Count)
            {
                // The last partial vector as the full window ending at m; lanes before l were summed above.
                int start = m - Vector512<T>.Count;
                var y = Vector512.LoadUnsafe(ref f0, (nuint)start);
                for (int t = layers - 1; t >= 0; t--)
                {
                    nuint o = (nuint)(t * stride + offset + start);
                    y = LogSigmoid(Fma(Vector512.LoadUnsafe(ref w0, o), y, Vector512.LoadUnsafe(ref b0, o)));
                }
                acc += Vector512.ConditionalSelect(TailMask<T>(l - start), y, Vector512<T>.Zero);
                l = m;
            }
            total = Vector512.Sum(acc);
        }
        for (; l < m; l++)
        {
            T y = Unsafe.Add(ref f0, l);
            for (int t = layers - 1; t >= 0; t--)
            {
                int o = t * stride + offset + l;
                y = LogSigmoid(Unsafe.Add(ref b0, o) + Unsafe.Add(ref w0, o) * y);
            }
            total += y;
        }
        return total;
    }

    /// <summary>Adds g d(sum_l g_il)/d(w, b) of one (sample, conditional, branch), recomputing the chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate<T>(ReadOnlySpan<T> f, Branch<T> branch, BranchGradient<T> gradient, int layers, int n, int offset, T g,
                                      Span<Vector512<T>> inputs, Span<Vector512<T>> preActivations)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int m = f.Length, stride = n * n, l = 0;
        ref T w0 = ref MemoryMarshal.GetReference(branch.Weight);
        ref T b0 = ref MemoryMarshal.GetReference(branch.Bias);
        ref T gw0 = ref MemoryMarshal.GetReference(gradient.Weight);
        ref T gb0 = ref MemoryMarshal.GetReference(gradient.Bias);
        ref T f0 = ref MemoryMarshal.GetReference(f);
        if (Vector512.IsHardwareAccelerated)
        {
            var vg = Vector512.Create(g);
            for (; l + Vector512<T>.Count <= m; l += Vector512<T>.Count)
            {
                var y = Vector512.LoadUnsafe(ref f0, (nuint)l);
                Recompute(y, layers, stride, offset + l, ref w0, ref b0, inputs, preActivations);
                Propagate(vg, layers, stride, offset + l, ref w0, ref gw0, ref gb0, inputs, preActivations);
            }
            if (l < m && m >= Vector512<T>.Count)
            {
                // The last partial vector as the full window ending at m, with the gradient of the lanes before l
                // (already accumulated above) set to zero.
                int start = m - Vector512<T>.Count;
                var y = Vector512.LoadUnsafe(ref f0, (nuint)start);
                Recompute(y, layers, stride, offset + start, ref w0, ref b0, inputs, preActivations);
                Propagate(Vector512.ConditionalSelect(TailMask<T>(l - start), vg, Vector512<T>.Zero), layers, stride, offset + start,
                          ref w0, ref gw0, ref gb0, inputs, preActivations);
                l = m;
            }
        }
        Span<T> scalarInputs = stackalloc T[layers];
        Span<T> scalarPre = stackalloc T[layers];
        for (; l < m; l++)
        {
            T y = Unsafe.Add(ref f0, l);
            for (int t = layers - 1; t >= 0; t--)
            {
                int o = t * stride + offset + l;
                scalarInputs[t] = y;
                T z = Unsafe.Add(ref b0, o) + Unsafe.Add(ref w0, o) * y;
                scalarPre[t] = z;
                if (t > 0) y = LogSigmoid(z);
            }
            T d = g;
            for (int t = 0; t < layers; t++)
            {
                int o = t * stride + offset + l;
                T dz = d / (T.One + T.Exp(scalarPre[t]));
                Unsafe.Add(ref gb0, o) += dz;
                Unsafe.Add(ref gw0, o) += dz * scalarInputs[t];
                d = dz * Unsafe.Add(ref w0, o);
            }
        }
    }

    /// <summary>
    /// Recomputes the chain of one window at column <paramref name="at"/> from its input fields y: stores each layer's
    /// input and pre-activation z_t, and in <paramref name="preActivations"/>[layers + t] e^{-|z_t|}, shared by the
    /// log-sigmoid of the forward chain and the sigmoid of the backward pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Recompute<T>(Vector512<T> y, int layers, int stride, int at, ref T w0, ref T b0,
                                     Span<Vector512<T>> inputs, Span<Vector512<T>> preActivations)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int t = layers - 1; t >= 0; t--)
        {
            nuint o = (nuint)(t * stride + at);
            inputs[t] = y;
            var z = Fma(Vector512.LoadUnsafe(ref w0, o), y, Vector512.LoadUnsafe(ref b0, o));
            var e = ExpOfMinusAbs(z);
            preActivations[t] = z;
            preActivations[layers + t] = e;
            if (t > 0) y = Vector512.Min(z, Vector512<T>.Zero) - Log1P(e);
        }
    }

    /// <summary>Back-propagates d (dL/d of the branch output, per lane) through the layers of one window at column <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Propagate<T>(Vector512<T> d, int layers, int stride, int at, ref T w0, ref T gw0, ref T gb0,
                                     Span<Vector512<T>> inputs, Span<Vector512<T>> preActivations)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int t = 0; t < layers; t++)
        {
            nuint o = (nuint)(t * stride + at);
            // sigma(-z) = e / (1 + e) for z >= 0, 1 / (1 + e) for z < 0, with e = e^{-|z|} (no overflow).
            var z = preActivations[t];
            var e = preActivations[layers + t];
            var numerator = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<T>.Zero), e, Vector512<T>.One);
            var dz = d * numerator / (Vector512<T>.One + e);
            (Vector512.LoadUnsafe(ref gb0, o) + dz).StoreUnsafe(ref gb0, o);
            (Vector512.LoadUnsafe(ref gw0, o) + dz * inputs[t]).StoreUnsafe(ref gw0, o);
            d = dz * Vector512.LoadUnsafe(ref w0, o);
        }
    }

    /// <summary>Lanes at index &gt;= <paramref name="from"/> set (all bits), the others clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> TailMask<T>(int from) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var lanes = Vector512<T>.Indices;
        return Vector512.GreaterThanOrEqual(lanes, Vector512.Create(T.CreateTruncating(from)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T LogSigmoid<T>(T z) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.Min(z, T.Zero) - T.Log(T.One + T.Exp(-T.Abs(z)));

    /// <summary>a b + c in one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> LogSigmoid<T>(Vector512<T> z) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector512.Min(z, Vector512<T>.Zero) - Log1P(ExpOfMinusAbs(z));

    /// <summary>e^{-|z|} in (0, 1]: float32 through <see cref="FastExpOfNonPositive"/>, float64 through the runtime's vector exp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> ExpOfMinusAbs<T>(Vector512<T> z) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return FastExpOfNonPositive(-Vector512.Abs(z.AsSingle())).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Exp(-Vector512.Abs(z.AsDouble())).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>ln(1 + u) for u in [0, 1]: float32 through <see cref="FastLog1PUnit"/>, float64 through the runtime's vector log.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Log1P<T>(Vector512<T> u) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return FastLog1PUnit(u.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Log(Vector512<double>.One + u.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>
    /// e^x for x &lt;= 0 in float32 (absolute error &lt; 1e-7; x below -87 gives e^-87): x = k ln 2 + r with
    /// |r| &lt;= ln 2 / 2 (ln 2 split in two parts, Cody-Waite), a degree-7 polynomial for e^r and 2^k from the exponent
    /// bits. About 3x the runtime's Vector512.Exp(float), which is accurate to the last bit the kernel does not need.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FastExpOfNonPositive(Vector512<float> x)
    {
        x = Vector512.Max(x, Vector512.Create(-87f));
        var k = Vector512.Round(x * Vector512.Create(1.44269504f));
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-0.693145751953125f), x);
        r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-1.428606765330187e-06f), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        var scale = (Vector512.ConvertToInt32(k) + Vector512.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    /// <summary>
    /// ln(1 + u) for u in [0, 1] in float32 (absolute error &lt; 1e-7): with s = u / (2 + u) in [0, 1/3],
    /// ln(1 + u) = 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + ... + s^12/13), truncation below (1/9)^7 / 15.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FastLog1PUnit(Vector512<float> u)
    {
        var s = u / (Vector512.Create(2f) + u);
        var s2 = s * s;
        var p = Vector512.Create(1f / 13);
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1f / 11));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1f / 9));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1f / 7));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1f / 5));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1f / 3));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512<float>.One);
        return (s + s) * p;
    }
}
