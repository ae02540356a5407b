using Boltzmann.Learning.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Hierarchical;

/// <summary>
/// The s or t network of one NeuralRG coupling (Li &amp; Wang 2018, arXiv:1802.02840, supplement below eq. S1):
/// a multilayer perceptron R^in → R^out with exponential-linear (ELU) hidden activations and a linear last layer.
/// ELU is written as relu(h) + expm1(h − relu(h)) (= h for h ≥ 0, e^h − 1 otherwise), with no Scalar arguments.
/// Weights are drawn from an explicit generator (U(±1/√fan_in), PyTorch's Linear default), so a seed fixes the model.
/// </summary>
public sealed class EluMlp : Module<Tensor, Tensor>
{
    private readonly Linear[] _layers;

    public EluMlp(string name, int inputs, int outputs, int hiddenLayers, int width, ScalarType dtype, Device device)
        : base(name)
    {
        if (inputs < 1 || outputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), $"{name}: inputs and outputs must be >= 1.");
        if (hiddenLayers < 0) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers, $"{name}: hidden layer count must be >= 0.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, $"{name}: hidden width must be >= 1.");
        _layers = new Linear[hiddenLayers + 1];
        int fanIn = inputs;
        for (int i = 0; i <= hiddenLayers; i++)
        {
            int fanOut = i == hiddenLayers ? outputs : width;
            _layers[i] = Linear(fanIn, fanOut, hasBias: true, device: device, dtype: dtype);
            register_module($"linear{i}", _layers[i]);
            fanIn = fanOut;
        }
    }

    /// <summary>The linear layers, input to output.</summary>
    public IReadOnlyList<Linear> Layers => _layers;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input;
        for (int i = 0; i < _layers.Length - 1; i++)
        {
            var a = _layers[i].call(h);
            var positive = a.relu();
            h = positive.Plus(a.sub(positive).expm1());
        }
        return _layers[^1].call(h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws every weight and bias from U(−1/√fan_in, 1/√fan_in) with <paramref name="generator"/> (CPU, float64),
    /// then copies them into the parameters; with <paramref name="zeroLast"/> the last layer starts at zero.
    /// </summary>
    public void Initialize(Generator generator, bool zeroLast)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            var weight = layer.weight!;
            double bound = 1.0 / Math.Sqrt(weight.shape[1]);
            bool zero = zeroLast && i == _layers.Length - 1;
            foreach (var p in new[] { weight, layer.bias! })
            {
                var draw = zero
                    ? zeros(p.shape, ScalarType.Float64)
                    : rand(p.shape, ScalarType.Float64, CPU, generator: generator).Times(2 * bound).PlusConstant(-bound);
                p.copy_(draw.to(p.dtype, p.device));
            }
        }
    }
}
