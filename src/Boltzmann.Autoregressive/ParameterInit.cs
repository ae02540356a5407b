using Boltzmann.Learning.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive;

/// <summary>
/// Reproducible initial values for learned parameters: drawn on the CPU from a CPU generator (so the same seed gives
/// the same network on every device) and then moved to the model's device as a trainable parameter. When no generator
/// is given, a fixed seed is used, so constructing a model is deterministic. Values are drawn in float64 and rounded to
/// the model's dtype, so a float32 network starts from the float64 network rounded.
/// </summary>
internal static class ParameterInit
{
    /// <summary>The seed used when the caller passes no initialisation generator.</summary>
    public const ulong DefaultSeed = 20230301;

    public static Generator OrDefault(Generator? generator) => generator ?? new Generator(DefaultSeed, CPU);

    /// <summary>Entries ~ N(0, std^2): the "small random values" initialisation of the paper (Biazzo 2023, Fig. 6 text).</summary>
    public static Parameter Normal(long[] shape, double std, Generator generator, Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var t = (randn(shape, dtype: ScalarType.Float64, device: CPU, generator: generator) * std).to(dtype).to(device);
        return new Parameter(t.MoveToOuterDisposeScope(), requires_grad: true);
    }

    /// <summary>
    /// A stack of nested layers [depth, ...] (index 0 outermost): the innermost slice (index depth - 1) ~ N(0, std^2), the
    /// outer slices equal to <paramref name="outer"/>. The normal draws consume the generator exactly as
    /// <see cref="Normal"/> on the innermost slice's shape would.
    /// </summary>
    public static Parameter Nested(long[] shape, double std, double outer, Generator generator, Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        long depth = shape[0];
        var inner = randn([1, .. shape[1..]], dtype: ScalarType.Float64, device: CPU, generator: generator) * std;
        var t = depth == 1 ? inner : cat([full([depth - 1, .. shape[1..]], outer, dtype: ScalarType.Float64, device: CPU), inner], 0);
        return new Parameter(t.to(dtype).to(device).MoveToOuterDisposeScope(), requires_grad: true);
    }

    /// <summary>Entries ~ U(-bound, bound), the usual fully connected layer initialisation with bound = 1/sqrt(fan_in).</summary>
    public static Parameter Uniform(long[] shape, double bound, Generator generator, Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var t = rand(shape, dtype: ScalarType.Float64, device: CPU, generator: generator).Times(2.0).MinusConstant(1.0).Times(bound).to(dtype).to(device);
        return new Parameter(t.MoveToOuterDisposeScope(), requires_grad: true);
    }

    /// <summary>All entries equal to <paramref name="value"/>.</summary>
    public static Parameter Constant(long[] shape, double value, Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var t = full(shape, value, dtype: dtype, device: device);
        return new Parameter(t.MoveToOuterDisposeScope(), requires_grad: true);
    }
}
