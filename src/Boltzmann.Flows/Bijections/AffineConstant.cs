using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Bijections;

/// <summary>
/// An elementwise affine bijection x = z ⊙ exp(s) + t with a learned log-scale s and shift t of the event shape
/// (the AffineConstFlow of normflows; Dinh et al. 2017's scale layer; the global rescaling layers of lattice flows,
/// Albergo, Kanwar &amp; Shanahan 2019): ln|det ∂x/∂z| = Σ s over all event sites, the same for every draw. It
/// works for any event shape ([N], [L, T], [2, L, T]), so it is also the smallest test of shape-generic flows.
/// Parameters are drawn U(−<c>scale</c>, <c>scale</c>) from an explicit generator (s first, then t), so a seed fixes them.
/// </summary>
public sealed class AffineConstant : Module, IBijection
{
    private readonly TorchSharp.Modules.Parameter _logScale;
    private readonly TorchSharp.Modules.Parameter _shift;
    private readonly long[] _eventShape;

    public AffineConstant(string name, long[] eventShape, ScalarType dtype, Device? device = null, Generator? init = null, double scale = 0.5)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(eventShape);
        if (eventShape.Length == 0 || eventShape.Any(d => d < 1))
            throw new ArgumentException($"{name}: event shape [{string.Join(", ", eventShape)}] is not allowed; need >= 1 dimension, each >= 1.", nameof(eventShape));
        if (!(scale >= 0 && double.IsFinite(scale))) throw new ArgumentOutOfRangeException(nameof(scale), scale, $"{name}: the initial scale must be finite and >= 0.");
        _eventShape = (long[])eventShape.Clone();
        var d = device ?? CPU;
        using (var scope = NewDisposeScope())
        {
            var s = empty(_eventShape, ScalarType.Float64, CPU);
            var t = empty(_eventShape, ScalarType.Float64, CPU);
            if (init is null) { s.zero_(); t.zero_(); }
            else { s.uniform_(-scale, scale, init); t.uniform_(-scale, scale, init); }
            _logScale = new TorchSharp.Modules.Parameter(s.to(dtype, d).DetachFromDisposeScope());
            _shift = new TorchSharp.Modules.Parameter(t.to(dtype, d).DetachFromDisposeScope());
        }
        register_parameter("log_scale", _logScale);
        register_parameter("shift", _shift);
    }

    public long[] EventShape => (long[])_eventShape.Clone();

    public (Tensor X, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var x = z.mul(_logScale.exp()).Plus(_shift);
        return scope.MoveToOuter(x, LogDet(z.shape[0], negate: false));
    }

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        var z = x.Minus(_shift).mul(_logScale.neg().exp());
        return scope.MoveToOuter(z, LogDet(x.shape[0], negate: true));
    }

    /// <summary>±Σ s broadcast to [batch].</summary>
    private Tensor LogDet(long batch, bool negate)
    {
        var total = _logScale.sum();
        if (negate) total = total.neg();
        return total.expand(batch);
    }
}
