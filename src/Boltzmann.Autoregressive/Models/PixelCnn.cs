using Boltzmann.Learning.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The PixelCNN of the variational autoregressive network (VAN: Wu, Wang &amp; Zhang, PRL 122, 080602 (2019),
/// arXiv:1809.10606; used for neural importance sampling of the 2D Ising model by Nicoli et al., PRE 101, 023304 (2020),
/// arXiv:1910.13496): spins on a Rows × Columns lattice in raster order, d masked convolutions with kernel
/// (2k+1) × (2k+1), zero padding, PReLU between layers, w channels, one output channel: the logit of
/// Q(x_i = +1 | x_&lt;i) (the sigmoid is applied by <see cref="AutoregressiveModel"/>). The first convolution has a
/// type-A mask (the centre tap and everything after it in raster order are zero: site i never sees x_i), the others
/// type B (the centre tap is kept: a hidden unit at site i already depends only on x_&lt;i). Since the mask removes the
/// k rows below the centre, the weights are stored as (k+1) × (2k+1) kernels (rows above plus the centre row) and the
/// convolution pads k zeros above, left and right and none below.
/// </summary>
/// <remarks>
/// Effective parameters per layer (masked taps excluded): out·in·(k(2k+1) + k) for the type-A first layer,
/// out·in·(k(2k+1) + k + 1) for type-B layers, plus out biases; PReLU slopes (d-1) w (initialised to 0.5 as in VAN).
/// Weights and biases start U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with the dense fan_in = in (k+1)(2k+1).
/// Ancestral sampling is incremental and exact: the logit at site (r, c) depends on layer-0 inputs in rows r-dk..r
/// and columns c-dk..c+dk only, so every step runs the d convolutions without padding on that window of a canvas
/// padded by P = dk (the window shrinks by k rows and 2k columns per layer down to 1 × 1), and multiplies each
/// intermediate window by an inside-the-lattice indicator, which reproduces exactly the zero padding every layer of
/// the full forward pass sees at the true boundary. A step costs O(d w^2 k^4 d^2) per sample, independent of N.
/// </remarks>
public sealed class PixelCnn : AutoregressiveModel
{
    private readonly Parameter[] _weights, _biases, _slopes;
    private readonly Tensor[] _masks;
    // Derived integer gather indices: plain fields, not buffers, so module-wide dtype conversions leave them alone.
    private readonly Tensor[] _taps, _fullIndex;

    /// <param name="rows">Lattice rows (N = rows × columns).</param>
    /// <param name="columns">Lattice columns.</param>
    /// <param name="depth">Number of masked convolutions d &gt;= 1.</param>
    /// <param name="width">Hidden channels w &gt;= 1.</param>
    /// <param name="halfKernel">Half kernel size k &gt;= 1 (kernel 2k+1).</param>
    /// <param name="device">Device of the model (CPU when null).</param>
    /// <param name="init">CPU generator for the initial weights; a fixed seed when null.</param>
    public PixelCnn(int rows, int columns, int depth, int width, int halfKernel, Device? device = null, Generator? init = null,
                    ScalarType dtype = ScalarType.Float64)
        : base("PixelCNN", checked(rows * columns), device, dtype)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "PixelCNN: the number of rows must be >= 1.");
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "PixelCNN: the number of columns must be >= 1.");
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "PixelCNN: the depth d must be >= 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "PixelCNN: the width w must be >= 1.");
        if (halfKernel < 1) throw new ArgumentOutOfRangeException(nameof(halfKernel), halfKernel, "PixelCNN: the half kernel size k must be >= 1.");
        Rows = rows;
        Columns = columns;
        Depth = depth;
        Width = width;
        HalfKernel = halfKernel;
        var g = ParameterInit.OrDefault(init);
        int kh = halfKernel + 1, kw = 2 * halfKernel + 1;
        _weights = new Parameter[depth];
        _biases = new Parameter[depth];
        _masks = new Tensor[depth];
        for (int l = 0; l < depth; l++)
        {
            var (inC, outC) = Channels(l, depth, width);
            double bound = 1.0 / Math.Sqrt(inC * kh * kw);
            _weights[l] = ParameterInit.Uniform([outC, inC, kh, kw], bound, g, Device, DType);
            _biases[l] = ParameterInit.Uniform([outC], bound, g, Device, DType);
            register_parameter($"conv{l}_weight", _weights[l]);
            register_parameter($"conv{l}_bias", _biases[l]);
            var mask = new double[kh * kw];
            for (int a = 0; a < kh; a++)
                for (int b = 0; b < kw; b++)
                    mask[a * kw + b] = a < halfKernel || b < halfKernel || (l > 0 && b == halfKernel) ? 1.0 : 0.0; // type A, then type B
            using (var scope = NewDisposeScope())
                _masks[l] = tensor(mask, [1, 1, kh, kw], dtype: ScalarType.Float64).to(DType).to(Device).MoveToOuterDisposeScope();
            register_buffer($"conv{l}_mask", _masks[l]);
        }
        _taps = new Tensor[depth];
        _fullIndex = new Tensor[depth];
        for (int l = 0; l < depth; l++)
        {
            using (var scope = NewDisposeScope())
                _taps[l] = _masks[l].flatten().nonzero().flatten().MoveToOuterDisposeScope(); // allowed taps a (2k+1) + b, raster order
            _fullIndex[l] = GatherIndex(l, rows + halfKernel, columns + 2 * halfKernel);
        }
        _slopes = new Parameter[depth - 1];
        for (int l = 0; l < depth - 1; l++)
        {
            _slopes[l] = ParameterInit.Constant([width], 0.5, Device, DType);
            register_parameter($"prelu{l}_slope", _slopes[l]);
        }
    }

    /// <summary>Lattice rows.</summary>
    public int Rows { get; }

    /// <summary>Lattice columns.</summary>
    public int Columns { get; }

    /// <summary>Number of masked convolutions d.</summary>
    public int Depth { get; }

    /// <summary>Hidden channels w.</summary>
    public int Width { get; }

    /// <summary>Half kernel size k (kernel 2k+1).</summary>
    public int HalfKernel { get; }

    public override string Architecture => ArchitectureName(Depth, Width, HalfKernel);

    /// <summary>"PixelCNN_d_w_k", e.g. PixelCNN_3_16_2 (3 convolutions, 16 channels, 5 × 5 kernels).</summary>
    public static string ArchitectureName(int depth, int width, int halfKernel) => $"PixelCNN_{depth}_{width}_{halfKernel}";

    public override long TrainableParameterCount
    {
        get
        {
            using var scope = NewDisposeScope();
            long count = 0;
            for (int l = 0; l < Depth; l++)
                count += (long)_masks[l].sum().to_type(ScalarType.Float64).item<double>() * _weights[l].shape[0] * _weights[l].shape[1] + _biases[l].numel();
            foreach (var s in _slopes) count += s.numel();
            return count;
        }
    }

    public override long FixedParameterCount => 0;

    /// <summary>Closed-form effective count: Σ_l out_l in_l (k(2k+1) + k + [l &gt; 0]) + out_l, plus (d-1) w PReLU slopes.</summary>
    public static long ParameterCountFormula(int depth, int width, int halfKernel)
    {
        long k = halfKernel, count = 0;
        for (int l = 0; l < depth; l++)
        {
            var (inC, outC) = Channels(l, depth, width);
            count += (long)outC * inC * (k * (2 * k + 1) + k + (l > 0 ? 1 : 0)) + outC;
        }
        return count + (long)(depth - 1) * width;
    }

    private static (int In, int Out) Channels(int layer, int depth, int width) =>
        (layer == 0 ? 1 : width, layer == depth - 1 ? 1 : width);

    protected override Tensor ComputeLogits(Tensor x)
    {
        long batch = x.shape[0];
        long k = HalfKernel;
        var h = x.view(batch, 1, Rows, Columns);
        for (int l = 0; l < Depth; l++)
        {
            if (l > 0) h = prelu(h, _slopes[l - 1]);
            var padded = pad(h, [k, k, k, 0]); // (left, right, top, bottom): zeros above, left and right, none below
            h = Convolve(l, padded.flatten(2), Rows + HalfKernel, Columns + 2 * HalfKernel, _fullIndex[l]).view(batch, -1, Rows, Columns);
        }
        return h.view(batch, N);
    }

    /// <summary>
    /// The masked convolution of layer <paramref name="l"/> as one gather and one batched matrix product (libtorch's
    /// float64 CPU convolution loops over the batch, which is far slower for these small images): the input
    /// [batch, in, H W] is gathered at the allowed taps of every output site, [batch, in taps, H' W'], and multiplied by
    /// the allowed weights [out, in taps]; returns [batch, out, H' W'] with H' = H − k, W' = W − 2k (no padding).
    /// </summary>
    private Tensor Convolve(int l, Tensor input, long height, long width, Tensor index)
    {
        long batch = input.shape[0], channels = input.shape[1];
        long taps = _taps[l].shape[0];
        long outputs = (height - HalfKernel) * (width - 2 * HalfKernel);
        var patches = input.index_select(2, index).view(batch, channels * taps, outputs);
        var w = _weights[l].flatten(2).index_select(2, _taps[l]).flatten(1); // [out, in taps]
        // [batch, H' W', in taps] x [in taps, out]: one GEMM over batch and sites (a broadcast [out, K] x [batch, K, P]
        // product runs as batch small GEMMs, measured 2x slower).
        return patches.transpose(1, 2).matmul(w.t()).transpose(1, 2).Plus(_biases[l].view(1, -1, 1));
    }

    /// <summary>Flat input indices [taps H' W'] of the allowed taps of every output site of a valid convolution on H × W.</summary>
    private Tensor GatherIndex(int l, long height, long width)
    {
        var taps = _taps[l].cpu().data<long>().ToArray();
        int kw = 2 * HalfKernel + 1;
        long outH = height - HalfKernel, outW = width - 2 * HalfKernel;
        var index = new long[taps.Length * outH * outW];
        long q = 0;
        foreach (long tap in taps)
        {
            long a = tap / kw, b = tap % kw;
            for (long oy = 0; oy < outH; oy++)
                for (long ox = 0; ox < outW; ox++) index[q++] = (oy + a) * width + ox + b;
        }
        return tensor(index, dtype: ScalarType.Int64).to(Device);
    }

    protected override AncestralState BeginAncestralSampling(long batch) => new IncrementalState(this, batch);

    /// <summary>The spins drawn so far on a canvas padded by P = dk above, left and right; one receptive-field window per step.</summary>
    private sealed class IncrementalState : AncestralState
    {
        private readonly PixelCnn _m;
        private readonly int _p;
        private readonly Tensor _canvas, _inside;
        private readonly Tensor[] _windowIndex;

        public IncrementalState(PixelCnn m, long batch)
        {
            _m = m;
            _p = m.Depth * m.HalfKernel;
            _canvas = zeros([batch, 1, m.Rows + _p, m.Columns + 2 * _p], dtype: m.DType, device: m.Device);
            var inside = zeros([1, 1, m.Rows + _p, m.Columns + 2 * _p], dtype: m.DType, device: m.Device);
            inside.narrow(2, _p, m.Rows).narrow(3, _p, m.Columns).fill_(ScalarArithmetic.One);
            _inside = inside;
            _windowIndex = new Tensor[m.Depth];
            for (int l = 0; l < m.Depth; l++)
            {
                int shift = l * m.HalfKernel; // layer l reads a window of (P - shift + 1) x (2 (P - shift) + 1)
                _windowIndex[l] = m.GatherIndex(l, _p - shift + 1, 2 * (_p - shift) + 1);
            }
        }

        public override Tensor Logit(int i)
        {
            int r = i / _m.Columns, c = i % _m.Columns, k = _m.HalfKernel;
            long batch = _canvas.shape[0];
            var h = _canvas.narrow(2, r, _p + 1).narrow(3, c, 2 * _p + 1).reshape(batch, 1, -1);
            for (int l = 0; l < _m.Depth; l++)
            {
                if (l > 0) h = prelu(h, _m._slopes[l - 1]);
                int shift = l * k;
                h = _m.Convolve(l, h, _p - shift + 1, 2 * (_p - shift) + 1, _windowIndex[l]);
                if (l < _m.Depth - 1)
                {
                    int next = (l + 1) * k; // the window now covers original rows r-P+next..r, columns c-P+next..c+P-next
                    h = h * _inside.narrow(2, r + next, _p + 1 - next).narrow(3, c + next, 2 * (_p - next) + 1).reshape(1, 1, -1);
                }
            }
            return h.view(batch);
        }

        public override void Observe(int i, Tensor xi)
        {
            int r = i / _m.Columns, c = i % _m.Columns;
            _canvas.select(1, 0).select(1, r + _p).select(1, c + _p).copy_(xi);
        }
    }
}
