using Boltzmann.Learning.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The MADE_dw baseline (Germain et al. 2015; Biazzo 2023, section IV): d hidden fully connected layers, each of width
/// w N, with PReLU activations and autoregressive masks, then a masked linear output layer and the sigmoid.
/// Hidden unit u = c N + j (channel c = 0..w-1, position j = 0..N-1) has degree j: the first layer connects it to the
/// inputs x_s with s &lt; j (exclusive mask), hidden-to-hidden layers connect position j' to positions j &lt;= j', and
/// output i reads positions j &lt;= i. Hence logit_i depends on x_s only for s &lt; i.
/// </summary>
/// <remarks>
/// Effective parameters (masked entries excluded): first layer w N(N-1)/2 + w N, each further hidden layer
/// w^2 N(N+1)/2 + w N, output w N(N+1)/2 + N, PReLU slopes d w N. Initialisation: weights and biases
/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with the dense fan_in, PReLU slopes 0.25.
/// Ancestral sampling computes, at step i, only the w units at position i of every hidden layer (their inputs at
/// positions &lt;= i are final by then) and output i, on top of a rank-1 update of the first layer's pre-activations:
/// O(d w^2 N^2) per sample instead of N full forward passes.
/// </remarks>
public sealed class Made : AutoregressiveModel
{
    private readonly int _width;
    private readonly Parameter _inWeight, _inBias, _outWeight, _outBias;
    private readonly Parameter[] _hiddenWeights, _hiddenBiases, _slopes;
    private readonly Tensor _inMask, _hiddenMask, _outMask;

    /// <param name="n">Number of spins.</param>
    /// <param name="depth">Number of hidden layers d &gt;= 1.</param>
    /// <param name="width">Width multiplier w &gt;= 1 (each hidden layer has w N units).</param>
    /// <param name="device">Device of the model (CPU when null).</param>
    /// <param name="init">CPU generator for the initial weights; a fixed seed when null.</param>
    public Made(int n, int depth, int width, Device? device = null, Generator? init = null, ScalarType dtype = ScalarType.Float64)
        : base("MADE", n, device, dtype)
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "MADE: the number of hidden layers d must be >= 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "MADE: the width multiplier w must be >= 1.");
        Depth = depth;
        _width = width;
        long hidden = (long)width * n;
        var g = ParameterInit.OrDefault(init);

        double inBound = 1.0 / Math.Sqrt(n), hiddenBound = 1.0 / Math.Sqrt(hidden);
        _inWeight = ParameterInit.Uniform([hidden, n], inBound, g, Device, DType);
        _inBias = ParameterInit.Uniform([hidden], inBound, g, Device, DType);
        register_parameter("in_weight", _inWeight);
        register_parameter("in_bias", _inBias);
        _hiddenWeights = new Parameter[depth - 1];
        _hiddenBiases = new Parameter[depth - 1];
        for (int l = 0; l < depth - 1; l++)
        {
            _hiddenWeights[l] = ParameterInit.Uniform([hidden, hidden], hiddenBound, g, Device, DType);
            _hiddenBiases[l] = ParameterInit.Uniform([hidden], hiddenBound, g, Device, DType);
            register_parameter($"hidden{l + 1}_weight", _hiddenWeights[l]);
            register_parameter($"hidden{l + 1}_bias", _hiddenBiases[l]);
        }
        _outWeight = ParameterInit.Uniform([n, hidden], hiddenBound, g, Device, DType);
        _outBias = ParameterInit.Uniform([n], hiddenBound, g, Device, DType);
        register_parameter("out_weight", _outWeight);
        register_parameter("out_bias", _outBias);
        _slopes = new Parameter[depth];
        for (int l = 0; l < depth; l++)
        {
            _slopes[l] = ParameterInit.Constant([hidden], 0.25, Device, DType);
            register_parameter($"prelu{l}_slope", _slopes[l]);
        }

        using (var scope = NewDisposeScope())
        {
            var position = arange(n, dtype: ScalarType.Int64, device: Device).repeat(width); // degree of hidden unit c N + j is j
            var inputIndex = arange(n, dtype: ScalarType.Int64, device: Device);
            _inMask = inputIndex.unsqueeze(0).lt(position.unsqueeze(1)).to_type(DType).MoveToOuterDisposeScope();
            _hiddenMask = position.unsqueeze(0).le(position.unsqueeze(1)).to_type(DType).MoveToOuterDisposeScope();
            _outMask = position.unsqueeze(0).le(inputIndex.unsqueeze(1)).to_type(DType).MoveToOuterDisposeScope();
        }
        register_buffer("in_mask", _inMask);
        register_buffer("hidden_mask", _hiddenMask);
        register_buffer("out_mask", _outMask);
    }

    public override string Architecture => ArchitectureName(Depth, _width);

    /// <summary>Number of hidden layers d.</summary>
    public int Depth { get; }

    /// <summary>Width multiplier w (hidden layers have w N units).</summary>
    public int Width => _width;

    /// <summary>"MADE_dw" as in the paper (e.g. MADE_21), or "MADE_d_w" when d or w has more than one digit.</summary>
    public static string ArchitectureName(int depth, int width) =>
        depth < 10 && width < 10 ? $"MADE_{depth}{width}" : $"MADE_{depth}_{width}";

    public override long TrainableParameterCount
    {
        get
        {
            using var scope = NewDisposeScope();
            long count = (long)_inMask.sum().to_type(ScalarType.Float64).item<double>() + _inBias.numel();
            for (int l = 0; l < Depth - 1; l++) count += (long)_hiddenMask.sum().to_type(ScalarType.Float64).item<double>() + _hiddenBiases[l].numel();
            count += (long)_outMask.sum().to_type(ScalarType.Float64).item<double>() + _outBias.numel();
            foreach (var s in _slopes) count += s.numel();
            return count;
        }
    }

    public override long FixedParameterCount => 0;

    /// <summary>
    /// Closed-form effective parameter count: w N(N-1)/2 + w N + (d-1)(w^2 N(N+1)/2 + w N) + w N(N+1)/2 + N + d w N.
    /// </summary>
    public static long ParameterCountFormula(int n, int depth, int width)
    {
        long N = n, d = depth, w = width;
        return w * N * (N - 1) / 2 + w * N + (d - 1) * (w * w * N * (N + 1) / 2 + w * N) + w * N * (N + 1) / 2 + N + d * w * N;
    }

    protected override Tensor ComputeLogits(Tensor x)
    {
        var h = prelu(x.matmul((_inWeight * _inMask).t()).Plus(_inBias), _slopes[0]);
        for (int l = 0; l < Depth - 1; l++)
            h = prelu(h.matmul((_hiddenWeights[l] * _hiddenMask).t()).Plus(_hiddenBiases[l]), _slopes[l + 1]);
        return h.matmul((_outWeight * _outMask).t()).Plus(_outBias);
    }

    protected override AncestralState BeginAncestralSampling(long batch) => new IncrementalState(this, batch);

    /// <summary>
    /// First-layer pre-activations updated by rank one per observed spin; hidden units filled position by position.
    /// </summary>
    private sealed class IncrementalState : AncestralState
    {
        private readonly Made _m;
        private readonly Tensor _preActivation, _inWeightT, _index, _outRows;
        private readonly Tensor[] _hidden, _slopeByPosition, _rowsByPosition, _biasByPosition;

        public IncrementalState(Made m, long batch)
        {
            _m = m;
            int n = m.N, w = m._width;
            long hidden = (long)w * n;
            _inWeightT = (m._inWeight * m._inMask).t().contiguous();                      // row s: effect of x_s on every unit
            _preActivation = m._inBias.unsqueeze(0).expand(batch, hidden).clone();
            _index = (arange(w, dtype: ScalarType.Int64, device: m.Device).unsqueeze(0) * n
                      + arange(n, dtype: ScalarType.Int64, device: m.Device).unsqueeze(1)).contiguous(); // [N, w]: units at position i
            _outRows = (m._outWeight * m._outMask).contiguous();
            _hidden = new Tensor[m.Depth];
            _slopeByPosition = new Tensor[m.Depth];
            for (int l = 0; l < m.Depth; l++)
            {
                _hidden[l] = zeros(batch, hidden, dtype: m.DType, device: m.Device);
                _slopeByPosition[l] = m._slopes[l].view(w, n).t().contiguous();
            }
            _rowsByPosition = new Tensor[m.Depth - 1];
            _biasByPosition = new Tensor[m.Depth - 1];
            for (int l = 0; l < m.Depth - 1; l++)
            {
                _rowsByPosition[l] = (m._hiddenWeights[l] * m._hiddenMask).view(w, n, hidden).permute(1, 0, 2).contiguous(); // [N, w, wN]
                _biasByPosition[l] = m._hiddenBiases[l].view(w, n).t().contiguous();                                          // [N, w]
            }
        }

        public override Tensor Logit(int i)
        {
            var idx = _index[i];
            var h = prelu(_preActivation.index_select(1, idx), _slopeByPosition[0][i]);
            _hidden[0].index_copy_(1, idx, h);
            for (int l = 1; l < _m.Depth; l++)
            {
                h = prelu(_hidden[l - 1].matmul(_rowsByPosition[l - 1][i].t()).Plus(_biasByPosition[l - 1][i]), _slopeByPosition[l][i]);
                _hidden[l].index_copy_(1, idx, h);
            }
            return _hidden[_m.Depth - 1].matmul(_outRows[i]).Plus(_m._outBias[i]);
        }

        public override void Observe(int i, Tensor xi) => _preActivation.PlusInPlace(xi.unsqueeze(1) * _inWeightT[i].unsqueeze(0));
    }
}
