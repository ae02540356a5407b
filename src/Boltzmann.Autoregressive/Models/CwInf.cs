using Boltzmann.Learning.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// CW_inf, the thermodynamic-limit Curie-Weiss network (Biazzo 2023, section III.A after eq. 14, and SI section I.B):
/// <code>
/// logit_i = b0 + w0 M_&lt;i + w1_i sgn(M_&lt;i),   b0 = 2 beta h,  w0 = 2 beta J / N,  M_&lt;i = sum_{s&lt;i} x_s,
/// </code>
/// with sgn(0) = 0. In the saddle-point limit w1_i = -2 beta J |m_i| (eq. 15); as in the paper, the w1_i are instead
/// learned. b0 and w0 are fixed by the Hamiltonian and shared by all conditionals, so the network has N + 2 parameters,
/// N of them learned (w1_1 multiplies sgn of the empty sum, i.e. 0, and is kept only to match the paper's count).
/// </summary>
public sealed class CwInf : AutoregressiveModel, IPrefixSumConditionals
{
    private readonly Parameter _w1;
    private double _beta;

    /// <param name="n">Number of spins.</param>
    /// <param name="beta">Inverse temperature (enters b0, w0).</param>
    /// <param name="j">Curie-Weiss coupling J.</param>
    /// <param name="h">Uniform field h.</param>
    /// <param name="device">Device of the model (CPU when null).</param>
    /// <param name="init">CPU generator for the initial w1_i ~ N(0, 1/N^2) (small random values); a fixed seed when null.</param>
    public CwInf(int n, double beta, double j, double h, Device? device = null, Generator? init = null, ScalarType dtype = ScalarType.Float64)
        : base("CW_inf", n, device, dtype)
    {
        if (!double.IsFinite(j)) throw new ArgumentOutOfRangeException(nameof(j), j, "CW_inf: J must be finite.");
        if (!double.IsFinite(h)) throw new ArgumentOutOfRangeException(nameof(h), h, "CW_inf: h must be finite.");
        J = j;
        H = h;
        Beta = beta;
        _w1 = ParameterInit.Normal([n], 1.0 / n, ParameterInit.OrDefault(init), Device, DType);
        register_parameter("w1", _w1);
    }

    public override string Architecture => "CW_inf";

    public double J { get; }

    public double H { get; }

    /// <summary>Inverse temperature; b0 and w0 follow it, the learned w1_i are kept (for annealing schedules).</summary>
    public double Beta
    {
        get => _beta;
        set
        {
            if (!double.IsFinite(value) || value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "CW_inf: beta must be finite and >= 0.");
            _beta = value;
        }
    }

    /// <summary>Shared bias b0 = 2 beta h.</summary>
    public double B0 => 2 * _beta * H;

    /// <summary>Shared weight w0 = 2 beta J / N.</summary>
    public double W0 => 2 * _beta * J / N;

    /// <summary>The learned weights w1_i of sgn(M_&lt;i), [N].</summary>
    public Parameter W1 => _w1;

    public override long TrainableParameterCount => _w1.numel();

    public override long FixedParameterCount => 2;

    /// <summary>Closed-form parameter count N + 2 (paper, section III.A).</summary>
    public static long ParameterCountFormula(int n) => n + 2L;

    protected override Tensor ComputeLogits(Tensor x)
    {
        var m = x.cumsum(1) - x;
        return m.Times(W0).PlusConstant(B0).Plus(_w1.unsqueeze(0) * m.sign());
    }

    protected override AncestralState BeginAncestralSampling(long batch) => new PrefixSumState(this, batch);

    internal override (PrefixSumLogitForm Form, Tensor Weights)? PrefixSumConditionals() =>
        (new PrefixSumLogitForm(B0, W0, PrefixSumFeature.Sign), _w1);

    private sealed class PrefixSumState(CwInf model, long batch) : AncestralState
    {
        private readonly Tensor _sum = zeros(batch, dtype: model.DType, device: model.Device);

        public override Tensor Logit(int i) => _sum.Times(model.W0).PlusConstant(model.B0).Plus(model._w1[i] * _sum.sign());

        public override void Observe(int i, Tensor xi) => _sum.PlusInPlace(xi);
    }
}
