using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Coupling;

/// <summary>
/// The conditioner s^(ℓ) or t^(ℓ) of one affine coupling layer (Hartnett &amp; Mohseni 2020, Appendix A.1: 3 hidden layers
/// of N units and a final layer; tanh last for s, identity last for t; LeakyReLU between), stored compactly: the paper's
/// network maps R^N → R^N but reads only the passive coordinates B (the acted-upon set A is masked to zero, their
/// footnote 9) and only its outputs on A are used, so here it is the MLP R^|B| → R^|A| made of the first layer's weight
/// columns of B and the last layer's weight rows and biases of A — the same function, without the weights that could
/// only ever get zero gradient (a quarter of the parameters at |A| = |B| = N/2). Hidden layers have width
/// <c>width</c>.
/// Weights are initialised from an explicit generator exactly as the full N → … → N network (U(±1/√fan_in) for weights
/// and biases with fan_in = N for the first layer, PyTorch's default scale for Linear), then restricted, so a seed fixes
/// the same flow as the full masked network on every device and in both float32 and float64.
/// </summary>
public sealed class ConditionerMlp : Module<Tensor, Tensor>
{
    private readonly Linear[] _layers;
    private readonly Scalar _negativeSlope;
    private readonly long[] _inputs;
    private readonly long[] _outputs;

    /// <param name="dimension">N, the size of the full network's input and output (fixes the initialisation).</param>
    /// <param name="inputs">The coordinates read (B), in increasing order.</param>
    /// <param name="outputs">The coordinates produced (A), in increasing order.</param>
    public ConditionerMlp(string name, int dimension, IReadOnlyList<int> inputs, IReadOnlyList<int> outputs, int hiddenLayers, int width,
                          double negativeSlope, ConditionerOutput output, ScalarType dtype, Device device)
        : base(name)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"{name}: dimension must be >= 1.");
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (hiddenLayers < 0) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers, $"{name}: hidden layer count must be >= 0.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, $"{name}: hidden width must be >= 1.");
        if (!double.IsFinite(negativeSlope) || negativeSlope < 0)
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, $"{name}: LeakyReLU slope must be finite and >= 0.");
        _inputs = CheckedIndices(inputs, dimension, name, nameof(inputs));
        _outputs = CheckedIndices(outputs, dimension, name, nameof(outputs));
        Dimension = dimension;
        NegativeSlope = negativeSlope;
        _negativeSlope = negativeSlope.ToScalar();
        Output = output;
        _layers = new Linear[hiddenLayers + 1];
        int fanIn = _inputs.Length;
        for (int i = 0; i <= hiddenLayers; i++)
        {
            int fanOut = i == hiddenLayers ? _outputs.Length : width;
            _layers[i] = Linear(Math.Max(fanIn, 1), fanOut, hasBias: true, device: device, dtype: dtype);
            // An empty B (a layer acting on every coordinate): TorchSharp's default initialisation divides by fan_in, so
            // build with one input and swap in the empty [fanOut, 0] weight (the layer then outputs its bias).
            if (fanIn == 0) _layers[i].weight = new Parameter(zeros([fanOut, 0], dtype, device));
            register_module($"linear{i}", _layers[i]);
            fanIn = fanOut;
        }
    }

    /// <summary>N, the coordinates of the full network the compact one restricts.</summary>
    public int Dimension { get; }

    /// <summary>Number of coordinates read (|B|).</summary>
    public int InputCount => _inputs.Length;

    /// <summary>Number of coordinates produced (|A|).</summary>
    public int OutputCount => _outputs.Length;

    /// <summary>Slope of the LeakyReLU activations for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <summary>Final activation (tanh for s, identity for t).</summary>
    public ConditionerOutput Output { get; }

    /// <summary>The linear layers, input to output ([width, |B|] first, [|A|, width] last).</summary>
    public IReadOnlyList<Linear> Layers => _layers;

    /// <summary>The network on y_B [batch, |B|], giving [batch, |A|].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input;
        for (int i = 0; i < _layers.Length - 1; i++)
            h = Activate(_layers[i].call(h));
        h = _layers[^1].call(h);
        if (Output == ConditionerOutput.Tanh) h = h.tanh_();
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>LeakyReLU in place on a fresh product (autograd's in-place form needs a positive slope).</summary>
    private Tensor Activate(Tensor h) => NegativeSlope > 0 ? h.leaky_relu_(_negativeSlope) : h.leaky_relu(_negativeSlope);

    private static long[] CheckedIndices(IReadOnlyList<int> indices, int dimension, string name, string what)
    {
        for (int k = 0; k < indices.Count; k++)
            if (indices[k] < 0 || indices[k] >= dimension || (k > 0 && indices[k] <= indices[k - 1]))
                throw new ArgumentException($"{name}: {what} must be increasing coordinates in 0..{dimension - 1}; entry {k} is {indices[k]}.", what);
        return indices.Select(i => (long)i).ToArray();
    }

    /// <summary>
    /// Draws every weight and bias of the full N → width → … → N network from U(−1/√fan_in, 1/√fan_in) with
    /// <paramref name="generator"/> (a CPU generator), in float64 on the CPU and in the full network's order, then copies
    /// the kept columns (first layer) and rows (last layer) into the parameters (rounding once to float32 if the model is
    /// float32): the restriction of the network the full layout would have drawn.
    /// </summary>
    public void Initialize(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var inputs = tensor(_inputs, ScalarType.Int64);
        var outputs = tensor(_outputs, ScalarType.Int64);
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            long fanIn = i == 0 ? Dimension : layer.weight!.shape[1];
            long fanOut = i == _layers.Length - 1 ? Dimension : layer.weight!.shape[0];
            double bound = 1.0 / Math.Sqrt(fanIn);
            var w = empty([fanOut, fanIn], ScalarType.Float64, CPU).uniform_(-bound, bound, generator);
            var b = empty([fanOut], ScalarType.Float64, CPU).uniform_(-bound, bound, generator);
            if (i == 0) w = w.index_select(1, inputs);
            if (i == _layers.Length - 1)
            {
                w = w.index_select(0, outputs);
                b = b.index_select(0, outputs);
            }
            layer.weight!.copy_(w);
            layer.bias!.copy_(b);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _negativeSlope.Dispose();
        base.Dispose(disposing);
    }
}
