using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Runtime;

/// <summary>
/// Proves the native library loads and autograd works on the chosen device: y = sum(w * x)^2 with
/// dy/dw = 2 sum(w x) x, compared with the closed form. Used by the test suite and `boltz doctor`.
/// </summary>
public static class TorchSmoke
{
    public sealed record Result(string Device, double Value, double MaxGradientError);

    public static Result Run(Device device)
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1, 2, 3 }, dtype: ScalarType.Float64, device: device);
        var w = tensor(new double[] { 0.5, -1, 2 }, dtype: ScalarType.Float64, device: device, requires_grad: true);
        var s = (w * x).sum();
        var y = s * s;
        y.backward();
        double sv = s.item<double>();
        var expected = x * (2 * sv);
        double err = (w.grad! - expected).abs().max().item<double>();
        return new Result(device.ToString(), y.item<double>(), err);
    }
}
