using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static Boltzmann.Autoregressive.Models.VectorLogSigmoid;

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
        Span<Vector256<T>> inputs = stackalloc Vector256<T>[layers];
        Span<Vector256<T>> preActivations = stackalloc Vector256<T>[2 * layers];
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
            if (Vector256.IsHardwareAccelerated)
            {
                var vs = Vector256.Create(s);
                for (; l + Vector256<T>.Count <= m; l += Vector256<T>.Count)
                    (Vector256.LoadUnsafe(ref f0, (nuint)l) + vs * Vector256.LoadUnsafe(ref r0, (nuint)l)).StoreUnsafe(ref f0, (nuint)l);
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
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<T>.Zero;
            for (; l + Vector256<T>.Count <= m; l += Vector256<T>.Count)
            {
                var y = Vector256.LoadUnsafe(ref f0, (nuint)l);
                for (int t = layers - 1; t >= 0; t--)
                {
                    nuint o = (nuint)(t * stride + offset + l);
                    y = LogSigmoid(Fma(Vector256.LoadUnsafe(ref w0, o), y, Vector256.LoadUnsafe(ref b0, o)));
                }
                acc += y;
            }
            if (l < m && m >= Vector256<T>.Count)
            {
                // The last partial vector as the full window ending at m; lanes before l were summed above.
                int start = m - Vector256<T>.Count;
                var y = Vector256.LoadUnsafe(ref f0, (nuint)start);
                for (int t = layers - 1; t >= 0; t--)
                {
                    nuint o = (nuint)(t * stride + offset + start);
                    y = LogSigmoid(Fma(Vector256.LoadUnsafe(ref w0, o), y, Vector256.LoadUnsafe(ref b0, o)));
                }
                acc += Vector256.ConditionalSelect(TailMask<T>(l - start), y, Vector256<T>.Zero);
                l = m;
            }
            total = Vector256.Sum(acc);
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
                                      Span<Vector256<T>> inputs, Span<Vector256<T>> preActivations)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int m = f.Length, stride = n * n, l = 0;
        ref T w0 = ref MemoryMarshal.GetReference(branch.Weight);
        ref T b0 = ref MemoryMarshal.GetReference(branch.Bias);
        ref T gw0 = ref MemoryMarshal.GetReference(gradient.Weight);
        ref T gb0 = ref MemoryMarshal.GetReference(gradient.Bias);
        ref T f0 = ref MemoryMarshal.GetReference(f);
        if (Vector256.IsHardwareAccelerated)
        {
            var vg = Vector256.Create(g);
            for (; l + Vector256<T>.Count <= m; l += Vector256<T>.Count)
            {
                var y = Vector256.LoadUnsafe(ref f0, (nuint)l);
                Recompute(y, layers, stride, offset + l, ref w0, ref b0, inputs, preActivations);
                Propagate(vg, layers, stride, offset + l, ref w0, ref gw0, ref gb0, inputs, preActivations);
            }
            if (l < m && m >= Vector256<T>.Count)
            {
                // The last partial vector as the full window ending at m, with the gradient of the lanes before l
                // (already accumulated above) set to zero.
                int start = m - Vector256<T>.Count;
                var y = Vector256.LoadUnsafe(ref f0, (nuint)start);
                Recompute(y, layers, stride, offset + start, ref w0, ref b0, inputs, preActivations);
                Propagate(Vector256.ConditionalSelect(TailMask<T>(l - start), vg, Vector256<T>.Zero), layers, stride, offset + start,
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
    private static void Recompute<T>(Vector256<T> y, int layers, int stride, int at, ref T w0, ref T b0,
                                     Span<Vector256<T>> inputs, Span<Vector256<T>> preActivations)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int t = layers - 1; t >= 0; t--)
        {
            nuint o = (nuint)(t * stride + at);
            inputs[t] = y;
            var z = Fma(Vector256.LoadUnsafe(ref w0, o), y, Vector256.LoadUnsafe(ref b0, o));
            var e = ExpOfMinusAbs(z);
            preActivations[t] = z;
            preActivations[layers + t] = e;
            if (t > 0) y = Vector256.Min(z, Vector256<T>.Zero) - Log1P(e);
        }
    }

    /// <summary>Back-propagates d (dL/d of the branch output, per lane) through the layers of one window at column <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Propagate<T>(Vector256<T> d, int layers, int stride, int at, ref T w0, ref T gw0, ref T gb0,
                                     Span<Vector256<T>> inputs, Span<Vector256<T>> preActivations)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int t = 0; t < layers; t++)
        {
            nuint o = (nuint)(t * stride + at);
            // sigma(-z) = e / (1 + e) for z >= 0, 1 / (1 + e) for z < 0, with e = e^{-|z|} (no overflow).
            var z = preActivations[t];
            var e = preActivations[layers + t];
            var numerator = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<T>.Zero), e, Vector256<T>.One);
            var dz = d * numerator / (Vector256<T>.One + e);
            (Vector256.LoadUnsafe(ref gb0, o) + dz).StoreUnsafe(ref gb0, o);
            (Vector256.LoadUnsafe(ref gw0, o) + dz * inputs[t]).StoreUnsafe(ref gw0, o);
            d = dz * Vector256.LoadUnsafe(ref w0, o);
        }
    }
}
