using Boltzmann.Learning.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// The compact version of the position update of eq. 2 (Foreman, Jin and Osborn, arXiv:2105.03418): a plain affine map
/// x e^{a} of an angle is not a bijection of the circle, so the scale acts through the stereographic chart,
/// <code>  f_a(x) = 2 atan(e^{a} tan(x/2)),   ln f_a'(x) = a − ln(cos²(x/2) + e^{2a} sin²(x/2)),  </code>
/// an orientation-preserving diffeomorphism of the circle fixing 0 and π with inverse f_{−a}, followed by the
/// translation x → x + ε(v e^{εq} + t) (Jacobian 1) and a wrap into (−π, π]. All constants are cached Scalars.
/// </summary>
public static class CircleAffine
{
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar Two = 2.0.ToScalar();

    /// <summary>f_a(x) elementwise.</summary>
    public static Tensor Scale(Tensor x, Tensor a)
    {
        using var scope = NewDisposeScope();
        return x.mul(Half).tan().mul(a.exp()).atan().mul(Two).MoveToOuterDisposeScope();
    }

    /// <summary>ln f_a'(x) elementwise.</summary>
    public static Tensor LogDerivative(Tensor x, Tensor a)
    {
        using var scope = NewDisposeScope();
        var h = x.mul(Half);
        var c = h.cos().Squared();
        var s = h.sin().Squared().mul(a.mul(Two).exp());
        return a.sub(c.Plus(s).log()).MoveToOuterDisposeScope();
    }
}
