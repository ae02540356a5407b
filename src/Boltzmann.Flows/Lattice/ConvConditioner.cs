using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Lattice;

/// <summary>
/// The conditioner of one checkerboard coupling: a small CNN on the periodic lattice, 1 input channel (the frozen
/// sites, active sites zeroed) -> <c>hiddenLayers</c> conv layers of <c>channels</c> channels with LeakyReLU -> 2
/// output channels (the raw log-scale s and shift t per site), every conv k x k with circular padding (Albergo,
/// Kanwar &amp; Shanahan 2019; their 2021 tutorial arXiv:2101.08176: 2 hidden layers of 8 channels, kernel 3). Circular
/// padding makes every layer commute with translations of the torus, so the conditioner is translation-equivariant.
/// Weights and biases are drawn U(±1/√fan_in) from an explicit generator (PyTorch's default scale; fan_in = C_in k²),
/// the last layer scaled by <c>outputScale</c> so a fresh flow starts close to the identity.
/// </summary>
public sealed class ConvConditioner : Module<Tensor, Tensor>
{
    private readonly Conv2d[] _layers;
    private readonly Scalar _slope;
    private readonly double _outputScale;

    public ConvConditioner(string name, int hiddenLayers, int channels, int kernel, double outputScale, ScalarType dtype, Device device)
        : base(name)
    {
        if (hiddenLayers < 0) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers, $"{name}: hidden layer count must be >= 0.");
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, $"{name}: channels must be >= 1.");
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, $"{name}: kernel must be odd and >= 1.");
        if (!(outputScale > 0) || !double.IsFinite(outputScale)) throw new ArgumentOutOfRangeException(nameof(outputScale), outputScale, $"{name}: output scale must be finite and > 0.");
        _outputScale = outputScale;
        _slope = 0.01.ToScalar();
        _layers = new Conv2d[hiddenLayers + 1];
        long inputs = 1;
        for (int i = 0; i <= hiddenLayers; i++)
        {
            long outputs = i == hiddenLayers ? 2 : channels;
            _layers[i] = Conv2d(inputs, outputs, kernel, padding: kernel / 2, padding_mode: PaddingModes.Circular, bias: true, device: device, dtype: dtype);
            register_module($"conv{i}", _layers[i]);
            inputs = outputs;
        }
    }

    /// <summary>[batch, L, T] -> [batch, 2, L, T]: channel 0 the raw log-scale, channel 1 the shift.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input.unsqueeze(1);
        for (int i = 0; i < _layers.Length - 1; i++)
            h = _layers[i].call(h).leaky_relu(_slope);
        return _layers[^1].call(h).MoveToOuterDisposeScope();
    }

    /// <summary>Draws every weight and bias U(±1/√fan_in) in float64 on the CPU from <paramref name="generator"/>.</summary>
    public void Initialize(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            long fanIn = layer.weight!.shape[1] * layer.weight.shape[2] * layer.weight.shape[3];
            double bound = 1.0 / Math.Sqrt(fanIn) * (i == _layers.Length - 1 ? _outputScale : 1.0);
            layer.weight.copy_(empty(layer.weight.shape, ScalarType.Float64, CPU).uniform_(-bound, bound, generator));
            layer.bias!.copy_(empty(layer.bias.shape, ScalarType.Float64, CPU).uniform_(-bound, bound, generator));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _slope.Dispose();
        base.Dispose(disposing);
    }
}
