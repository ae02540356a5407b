using Boltzmann.Flows.Bijections;
using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Lattice;

/// <summary>
/// An affine coupling on a checkerboard of the periodic L x T lattice (Albergo, Kanwar &amp; Shanahan, PRD 100,
/// 034515 (2019), Eqs. 11-12; their 2021 tutorial): with m(x) = 1 on the active parity (x + t) mod 2 = p,
/// <code>
///   forward:  φ = m ⊙ (z ⊙ e^{s(ζ)} + t(ζ)) + (1 − m) ⊙ z,   ζ = (1 − m) ⊙ z,   ln|det ∂φ/∂z| = Σ_x m s
///   inverse:  z = m ⊙ (φ − t(ζ)) ⊙ e^{−s(ζ)} + (1 − m) ⊙ φ   (ζ is the same: frozen sites pass through)
/// </code>
/// s = tanh(raw) bounds |ln|det|| by the number of active sites. The conditioner (<see cref="ConvConditioner"/>)
/// uses circular padding, so a translation of the torus that preserves the checkerboard (a shift by (a, b) with
/// a + b even) commutes with the layer; a shift with a + b odd maps it to the same layer of the opposite parity.
/// <para><b>Z2-equivariant variant</b> (Nicoli et al., PRL 126, 032001 (2021): x(−z) = −x(z), hence q(φ) = q(−φ)):
/// the coupling is odd in z iff s is even and t is odd in ζ. We take the even and odd parts of an unconstrained
/// network h: s(ζ) = [tanh h_s(ζ) + tanh h_s(−ζ)]/2, t(ζ) = [h_t(ζ) − h_t(−ζ)]/2 (one conv pass on the batch [ζ; −ζ]).
/// Every even (odd) function is its own even (odd) part, so this loses no expressivity against the constraint, unlike
/// bias-free odd-activation networks (which only give odd t and need |·| for s, a cusp at s = 0), and it is exact in
/// floating point: a + b = b + a and a − b = −(b − a) hold bit for bit, so x(−z) = −x(z) exactly.</para>
/// </summary>
public sealed class CheckerboardAffineCoupling : Module, IBijection
{
    private readonly ConvConditioner _net;
    private readonly Tensor _mask;
    private readonly Tensor _frozen;
    private readonly long[] _shape;
    private static readonly long[] SiteDims = [1, 2];

    public CheckerboardAffineCoupling(string name, long[] eventShape, int parity, bool z2Equivariant, int hiddenLayers, int channels,
                                      int kernel, double outputScale, ScalarType dtype, Device device)
        : base(name)
    {
        LatticeShape.Require(eventShape, kernel, name);
        if (parity is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(parity), parity, $"{name}: parity must be 0 or 1.");
        _shape = (long[])eventShape.Clone();
        Parity = parity;
        Z2Equivariant = z2Equivariant;
        _net = new ConvConditioner("net", hiddenLayers, channels, kernel, outputScale, dtype, device);
        _mask = tensor(LatticeShape.Checkerboard(_shape[0], _shape[1], parity), [_shape[0], _shape[1]], dtype: dtype, device: device);
        _frozen = tensor(LatticeShape.Checkerboard(_shape[0], _shape[1], 1 - parity), [_shape[0], _shape[1]], dtype: dtype, device: device);
        register_module("net", _net);
        register_buffer("mask", _mask);
        register_buffer("frozen", _frozen);
    }

    /// <summary>The active checkerboard parity p: sites with (x + t) mod 2 = p are transformed.</summary>
    public int Parity { get; }

    /// <summary>Whether s is even and t odd in the frozen sites (the layer is odd: x(−z) = −x(z)).</summary>
    public bool Z2Equivariant { get; }

    public long[] EventShape => (long[])_shape.Clone();

    /// <summary>The number of active sites (L T / 2) as a 0-d tensor: |s| &lt; 1 bounds |ln|det||.</summary>
    public Tensor? LogDetBound() => _mask.sum();

    public void Initialize(Generator generator) => _net.Initialize(generator);

    public (Tensor X, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var (s, t) = Conditioners(z);
        var x = z.mul(s.exp()).Plus(t);
        return scope.MoveToOuter(x, s.sum(SiteDims));
    }

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (s, t) = Conditioners(x);
        var z = x.sub(t).mul(s.neg().exp());
        return scope.MoveToOuter(z, s.sum(SiteDims).neg());
    }

    /// <summary>m ⊙ s(ζ) and m ⊙ t(ζ), ζ = (1 − m) ⊙ y; zero on the frozen sites, so those pass through exactly.</summary>
    private (Tensor S, Tensor T) Conditioners(Tensor y)
    {
        var frozen = y.mul(_frozen);
        Tensor s, t;
        if (Z2Equivariant)
        {
            long b = y.shape[0];
            var h = _net.call(cat([frozen, frozen.neg()], 0));         // [2b, 2, L, T]
            var hs = h.select(1, 0).tanh();
            var ht = h.select(1, 1);
            s = hs.narrow(0, 0, b).Plus(hs.narrow(0, b, b)).Times(0.5);
            t = ht.narrow(0, 0, b).sub(ht.narrow(0, b, b)).Times(0.5);
        }
        else
        {
            var h = _net.call(frozen);
            s = h.select(1, 0).tanh();
            t = h.select(1, 1);
        }
        return (s.mul(_mask), t.mul(_mask));
    }
}
