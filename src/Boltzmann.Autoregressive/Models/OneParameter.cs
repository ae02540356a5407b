using Boltzmann.Learning.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The 1P baseline (Biazzo 2023, section IV; used for the Curie-Weiss model in Ciarella et al. 2022): each conditional
/// multiplies the sum of its inputs by a single learned weight, logit_i = w_i M_&lt;i with M_&lt;i = sum_{s&lt;i} x_s,
/// then applies the sigmoid. N parameters (w_1 multiplies the empty sum, so Q(x_1 = +1) = 1/2; it is kept to match
/// the paper's count). No bias: like the zero-field Hamiltonians of the paper, the distribution is spin-flip symmetric.
/// </summary>
public sealed class OneParameter : AutoregressiveModel, IPrefixSumConditionals
{
    private readonly Parameter _w;

    /// <param name="n">Number of spins.</param>
    /// <param name="device">Device of the model (CPU when null).</param>
    /// <param name="init">CPU generator for the initial w_i ~ N(0, 1/N^2); a fixed seed when null.</param>
    public OneParameter(int n, Device? device = null, Generator? init = null, ScalarType dtype = ScalarType.Float64) : base("1P", n, device, dtype)
    {
        _w = ParameterInit.Normal([n], 1.0 / n, ParameterInit.OrDefault(init), Device, DType);
        register_parameter("w", _w);
    }

    public override string Architecture => "1P";

    /// <summary>The learned weights w_i, [N].</summary>
    public Parameter W => _w;

    public override long TrainableParameterCount => _w.numel();

    public override long FixedParameterCount => 0;

    /// <summary>Closed-form parameter count N (paper: "scales as N").</summary>
    public static long ParameterCountFormula(int n) => n;

    protected override Tensor ComputeLogits(Tensor x) => (x.cumsum(1) - x) * _w.unsqueeze(0);

    protected override AncestralState BeginAncestralSampling(long batch) => new PrefixSumState(this, batch);

    internal override (PrefixSumLogitForm Form, Tensor Weights)? PrefixSumConditionals() =>
        (new PrefixSumLogitForm(0, 0, PrefixSumFeature.Identity), _w);

    private sealed class PrefixSumState(OneParameter model, long batch) : AncestralState
    {
        private readonly Tensor _sum = zeros(batch, dtype: model.DType, device: model.Device);

        public override Tensor Logit(int i) => _sum * model._w[i];

        public override void Observe(int i, Tensor xi) => _sum.PlusInPlace(xi);
    }
}
