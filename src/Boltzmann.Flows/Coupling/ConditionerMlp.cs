using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Coupling;

/// <summary>
/// The conditioner s^(ℓ) or t^(ℓ) of one affine coupling layer: an MLP R^N → R^N with
/// <c>hiddenLayers</c> hidden layers of width <c>width</c> and LeakyReLU activations, then a final linear layer
/// with N outputs and the activation of <see cref="ConditionerOutput"/> (Hartnett &amp; Mohseni 2020, Appendix A.1:
/// 3 hidden layers and one final layer of N units each; tanh last for s, identity last for t). The network sees
/// all N coordinates with the acted-upon set masked to zero (their footnote 9).
/// Weights are initialised from an explicit generator (U(±1/√fan_in) for weights and biases, PyTorch's default
/// scale for Linear), so a seed fixes the flow on every device and in both float32 and float64.
/// </summary>
public sealed class ConditionerMlp : Module<Tensor, Tensor>
{
    private readonly Linear[] _layers;
    private readonly Scalar _negativeSlope;

    public ConditionerMlp(string name, int dimension, int hiddenLayers, int width, double negativeSlope,
                          ConditionerOutput output, ScalarType dtype, Device device)
        : base(name)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"{name}: dimension must be >= 1.");
        if (hiddenLayers < 0) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers, $"{name}: hidden layer count must be >= 0.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, $"{name}: hidden width must be >= 1.");
        if (!double.IsFinite(negativeSlope) || negativeSlope < 0)
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, $"{name}: LeakyReLU slope must be finite and >= 0.");
        NegativeSlope = negativeSlope;
        _negativeSlope = negativeSlope.ToScalar();
        Output = output;
        _layers = new Linear[hiddenLayers + 1];
        int inputs = dimension;
        for (int i = 0; i <= hiddenLayers; i++)
        {
            int outputs = i == hiddenLayers ? dimension : width;
            _layers[i] = Linear(inputs, outputs, hasBias: true, device: device, dtype: dtype);
            register_module($"linear{i}", _layers[i]);
            inputs = outputs;
        }
    }

    /// <summary>Slope of the LeakyReLU activations for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <summary>Final activation (tanh for s, identity for t).</summary>
    public ConditionerOutput Output { get; }

    /// <summary>The linear layers, input to output.</summary>
    public IReadOnlyList<Linear> Layers => _layers;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input;
        for (int i = 0; i < _layers.Length - 1; i++)
            h = _layers[i].call(h).leaky_relu(_negativeSlope);
        h = _layers[^1].call(h);
        if (Output == ConditionerOutput.Tanh) h = h.tanh();
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The network on the coordinates <paramref name="inputIndex"/> of its input (the others taken as zero), returning only
    /// the outputs <paramref name="outputIndex"/>: the first layer uses the weight columns of the inputs, the last layer
    /// the weight rows and biases of the outputs, the hidden layers are unchanged. Equal to
    /// <c>forward(embedded input)[:, outputIndex]</c> up to the rounding of the shorter sums; autograd gives the unused
    /// weights exactly zero gradient. Needs at least one hidden layer.
    /// </summary>
    public Tensor ForwardOnHalves(Tensor input, Tensor inputIndex, Tensor outputIndex)
    {
        if (_layers.Length < 2) throw new InvalidOperationException("ConditionerMlp: ForwardOnHalves needs at least one hidden layer.");
        using var scope = NewDisposeScope();
        var first = _layers[0];
        var h = Activate(nn.functional.linear(input, first.weight!.index_select(1, inputIndex), first.bias));
        for (int i = 1; i < _layers.Length - 1; i++)
            h = Activate(_layers[i].call(h));
        var last = _layers[^1];
        h = nn.functional.linear(h, last.weight!.index_select(0, outputIndex), last.bias!.index_select(0, outputIndex));
        if (Output == ConditionerOutput.Tanh) h = h.tanh_();
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>LeakyReLU in place on a fresh product (autograd's in-place form needs a positive slope).</summary>
    private Tensor Activate(Tensor h) => NegativeSlope > 0 ? h.leaky_relu_(_negativeSlope) : h.leaky_relu(_negativeSlope);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _negativeSlope.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// Draws every weight and bias from U(−1/√fan_in, 1/√fan_in) with <paramref name="generator"/> (a CPU generator),
    /// in float64 on the CPU, then copies into the parameters (rounding once to float32 if the model is float32).
    /// </summary>
    public void Initialize(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var layer in _layers)
        {
            long fanIn = layer.weight!.shape[1];
            double bound = 1.0 / Math.Sqrt(fanIn);
            var w = empty(layer.weight.shape, ScalarType.Float64, CPU).uniform_(-bound, bound, generator);
            layer.weight.copy_(w);
            var b = empty(layer.bias!.shape, ScalarType.Float64, CPU).uniform_(-bound, bound, generator);
            layer.bias.copy_(b);
        }
    }
}
