using Boltzmann.Flows.Bijections;
using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Lattice;

/// <summary>
/// A learned odd bijection of the zero-momentum mode only, u = Σ_x z_x / √V (the magnetisation direction):
/// <code>  f(u) = e^{h − g} asinh(e^{g} u),   x = z + (f(u) − u)/√V · 1,   ln|det ∂x/∂z| = ln f'(u) = h − ½ ln(1 + e^{2g} u²)  </code>
/// with the inverse in closed form, u = e^{−g} sinh(e^{g − h} f). f is odd (the layer is Z2-equivariant) and commutes
/// with translations (it sees only the mean). Why: in the broken phase p has two vacua ±m; linear and local layers from
/// a Gaussian prior give a unimodal m unless the conv couplings build the split collectively, which reverse KL
/// learns slowly. f expands the centre and compresses the tails: for u ~ N(0, σ²) the density of f(u) has two maxima
/// iff e^{g} σ &gt; 1, so one scalar g turns a wide Gaussian zero mode into a double well (h sets its width).
/// Initialised near the identity (g = −3, h = 0: f(u) = u + O(e^{2g} u³)).
/// </summary>
public sealed class ZeroModeMap : Module, IBijection
{
    private readonly TorchSharp.Modules.Parameter _g;
    private readonly TorchSharp.Modules.Parameter _h;
    private readonly long[] _shape;
    private readonly double _sqrtV;
    private static readonly long[] SiteDims = [1, 2];

    public ZeroModeMap(string name, long[] eventShape, ScalarType dtype, Device? device = null, double g = -3, double h = 0)
        : base(name)
    {
        _shape = LatticeShape.RequireTorus(eventShape, name);
        _sqrtV = Math.Sqrt(_shape[0] * _shape[1]);
        device ??= CPU;
        _g = new TorchSharp.Modules.Parameter(tensor(new[] { g }, dtype: ScalarType.Float64).to(dtype, device));
        _h = new TorchSharp.Modules.Parameter(tensor(new[] { h }, dtype: ScalarType.Float64).to(dtype, device));
        register_parameter("g", _g);
        register_parameter("h", _h);
    }

    public long[] EventShape => (long[])_shape.Clone();

    public (Tensor X, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var u = z.sum(SiteDims).DividedBy(_sqrtV);                        // [b]
        var eg = _g.exp();
        var f = u.mul(eg).asinh().mul(_h.sub(_g).exp());
        var x = z.add(f.sub(u).DividedBy(_sqrtV).view(-1, 1, 1));
        return scope.MoveToOuter(x, LogDerivative(u, eg));
    }

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = x.sum(SiteDims).DividedBy(_sqrtV);
        var eg = _g.exp();
        var u = f.mul(_g.sub(_h).exp()).sinh().div(eg);
        var z = x.add(u.sub(f).DividedBy(_sqrtV).view(-1, 1, 1));
        return scope.MoveToOuter(z, LogDerivative(u, eg).neg());
    }

    /// <summary>ln f'(u) = h − ½ ln(1 + e^{2g} u²) per event.</summary>
    private Tensor LogDerivative(Tensor u, Tensor eg) => _h.sub(u.mul(eg).Squared().log1p().Times(0.5));
}
