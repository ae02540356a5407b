using Boltzmann.Flows.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Priors;

/// <summary>
/// The isotropic unit Gaussian prior N(0, I) over any event shape (Hartnett &amp; Mohseni 2020, Appendix A.1 for
/// [N]; Albergo, Kanwar &amp; Shanahan 2019 use the same prior for lattice fields [L, T]). Draws are one
/// <c>randn([batch, ..EventShape])</c> from the caller's generator, so a seeded generator fixes the samples.
/// </summary>
public sealed class StandardNormalPrior : IPrior
{
    private readonly long[] _eventShape;

    public StandardNormalPrior(long[] eventShape, ScalarType dtype, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(eventShape);
        if (eventShape.Length == 0 || eventShape.Any(d => d < 1))
            throw new ArgumentException($"StandardNormalPrior: event shape [{string.Join(", ", eventShape)}] is not allowed; need >= 1 dimension, each >= 1.", nameof(eventShape));
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"StandardNormalPrior: dtype {dtype} is not allowed; must be Float32 or Float64.", nameof(dtype));
        _eventShape = (long[])eventShape.Clone();
        Dtype = dtype;
        Device = device ?? CPU;
    }

    public long[] EventShape => (long[])_eventShape.Clone();

    public ScalarType Dtype { get; }

    public Device Device { get; }

    public Tensor Sample(long batch, Generator? generator = null)
    {
        FlowInput.RequireBatch(batch, "StandardNormalPrior.Sample");
        return randn([batch, .. _eventShape], Dtype, Device, generator: generator);
    }

    public Tensor LogProb(Tensor z) => StandardNormal.LogDensity(z);
}
