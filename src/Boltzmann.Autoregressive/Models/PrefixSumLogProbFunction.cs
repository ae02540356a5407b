using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The teacher-forced ln Q of CW_inf and 1P through <see cref="PrefixSumKernel"/> as an autograd node: inputs spins
/// x [batch, N] (no gradient) and the learned weights w [N], with the shared bias and slope of the
/// <see cref="PrefixSumLogitForm"/>; output ln Q [batch]. The node keeps only its inputs: the backward pass recomputes
/// the logits. CPU, float32 or float64, both tensors of one dtype.
/// </summary>
internal sealed class PrefixSumLogProbFunction : SingleTensorFunction<PrefixSumLogProbFunction>
{
    private const string FormKey = "form";

    public override string Name => "PrefixSumLogProb";

    /// <summary>ln Q(x) [batch] of spins <paramref name="x"/>, differentiable in <paramref name="weights"/>.</summary>
    public static Tensor Apply(Tensor x, Tensor weights, PrefixSumLogitForm form) => apply(x, weights, form);

    /// <summary>Whether the kernel handles these tensors (CPU, float32/float64, one dtype).</summary>
    public static bool Supports(Tensor x, Tensor weights) =>
        x.device_type == DeviceType.CPU && weights.device_type == DeviceType.CPU
        && x.dtype is ScalarType.Float32 or ScalarType.Float64 && weights.dtype == x.dtype;

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous();
        var w = ((Tensor)vars[1]).contiguous();
        var form = (PrefixSumLogitForm)vars[2];
        ctx.save_for_backward([x, w]);
        ctx.save_data(FormKey, form);
        var output = empty(x.shape[0], dtype: x.dtype, device: x.device);
        if (x.dtype == ScalarType.Float32) Forward<float>(x, w, form, output);
        else Forward<double>(x, w, form, output);
        return output;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (x, w) = (saved[0], saved[1]);
        var form = (PrefixSumLogitForm)ctx.get_data(FormKey);
        var grad = grad_output.contiguous();
        var gw = zeros_like(w);
        if (x.dtype == ScalarType.Float32) Backward<float>(x, w, form, grad, gw);
        else Backward<double>(x, w, form, grad, gw);
        return [null!, gw, null!]; // one entry per argument of apply, the form included
    }

    private static void Forward<T>(Tensor x, Tensor w, PrefixSumLogitForm form, Tensor output) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        PrefixSumKernel.Forward(TensorSpan.Of<T>(x), TensorSpan.Of<T>(w), form, TensorSpan.Of<T>(output));

    private static void Backward<T>(Tensor x, Tensor w, PrefixSumLogitForm form, Tensor grad, Tensor gw) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        PrefixSumKernel.Backward(TensorSpan.Of<T>(x), TensorSpan.Of<T>(w), form, TensorSpan.Of<T>(grad), TensorSpan.Of<T>(gw));
}
