using Boltzmann.Learning.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The 1L baseline (Biazzo 2023, section IV): one fully connected linear layer of width N with an autoregressive mask,
/// logit_i = b_i + sum_{s&lt;i} W_{is} x_s, followed by the sigmoid. The mask keeps the strictly lower triangle of W,
/// so the network has N(N-1)/2 + N = N(N+1)/2 effective parameters (the paper quotes the N^2 scaling of the dense,
/// masked matrix). Initialisation: U(-1/sqrt(N), 1/sqrt(N)) for W and b.
/// </summary>
public sealed class OneLayer : AutoregressiveModel
{
    private readonly Parameter _weight, _bias;
    private readonly Tensor _mask;

    /// <param name="n">Number of spins.</param>
    /// <param name="device">Device of the model (CPU when null).</param>
    /// <param name="init">CPU generator for the initial weights; a fixed seed when null.</param>
    public OneLayer(int n, Device? device = null, Generator? init = null, ScalarType dtype = ScalarType.Float64) : base("1L", n, device, dtype)
    {
        var g = ParameterInit.OrDefault(init);
        double bound = 1.0 / Math.Sqrt(n);
        _weight = ParameterInit.Uniform([n, n], bound, g, Device, DType);
        _bias = ParameterInit.Uniform([n], bound, g, Device, DType);
        _mask = ones(n, n, dtype: DType, device: Device).tril(-1);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        register_buffer("mask", _mask);
    }

    public override string Architecture => "1L";

    public override long TrainableParameterCount
    {
        get
        {
            using var scope = NewDisposeScope();
            return (long)_mask.sum().to_type(ScalarType.Float64).item<double>() + _bias.numel();
        }
    }

    public override long FixedParameterCount => 0;

    /// <summary>Closed-form effective parameter count N(N-1)/2 + N (masked entries excluded).</summary>
    public static long ParameterCountFormula(int n) => (long)n * (n + 1) / 2;

    protected override Tensor ComputeLogits(Tensor x) => x.matmul((_weight * _mask).t()).Plus(_bias);

    protected override AncestralState BeginAncestralSampling(long batch) => new PreActivationState(this, batch);

    /// <summary>Carries the pre-activations b + W x_&lt;i; observing x_i adds x_i W[:, i] (O(N) per spin).</summary>
    private sealed class PreActivationState : AncestralState
    {
        private readonly Tensor _preActivation, _maskedWeightT;

        public PreActivationState(OneLayer model, long batch)
        {
            _maskedWeightT = (model._weight * model._mask).t().contiguous();
            _preActivation = model._bias.unsqueeze(0).expand(batch, model.N).clone();
        }

        public override Tensor Logit(int i) => _preActivation.select(1, i);

        public override void Observe(int i, Tensor xi) => _preActivation.PlusInPlace(xi.unsqueeze(1) * _maskedWeightT[i].unsqueeze(0));
    }
}
