using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The fused SK branch kernel (<see cref="SkBranchKernel"/>) as an autograd node: inputs spins x [batch, N], couplings
/// J [N, N] (both without gradient), weight+, bias+, weight-, bias- [k+1, N, N]; output [2, batch, N] = (ln rho+, ln rho-)
/// of every conditional. The backward pass recomputes the nested layers from x, so the node keeps only its inputs
/// (no activation of size batch x pairs). CPU, float32 or float64, all inputs of one dtype.
/// </summary>
internal sealed class SkBranchFunction : SingleTensorFunction<SkBranchFunction>
{
    public override string Name => "SkReplicaBranches";

    /// <summary>(ln rho+, ln rho-) [2, batch, N] for spins <paramref name="x"/> through the fused kernel, differentiable in the four parameter tensors.</summary>
    public static Tensor Apply(Tensor x, Tensor couplings, Tensor weightPlus, Tensor biasPlus, Tensor weightMinus, Tensor biasMinus) =>
        apply(x, couplings, weightPlus, biasPlus, weightMinus, biasMinus);

    /// <summary>Whether the fused kernel handles these tensors (CPU, float32/float64, one dtype).</summary>
    public static bool Supports(Tensor x, params Tensor[] others) =>
        x.device_type == DeviceType.CPU && x.dtype is ScalarType.Float32 or ScalarType.Float64
        && others.All(t => t.device_type == DeviceType.CPU && t.dtype == x.dtype);

    /// <summary>
    /// (ln rho+_i, ln rho-_i) [2, batch] of conditional <paramref name="i"/> from the prefix fields F^(i) [batch, N]
    /// carried by ancestral sampling (no gradient).
    /// </summary>
    public static Tensor Conditional(Tensor fields, int i, Tensor weightPlus, Tensor biasPlus, Tensor weightMinus, Tensor biasMinus)
    {
        var f = fields.contiguous();
        var (wp, bp, wm, bm) = (weightPlus.detach().contiguous(), biasPlus.detach().contiguous(), weightMinus.detach().contiguous(), biasMinus.detach().contiguous());
        long batch = f.shape[0];
        int n = (int)f.shape[1], layers = (int)wp.shape[0];
        var output = empty([2, batch], dtype: f.dtype, device: f.device);
        if (f.dtype == ScalarType.Float32) Conditional<float>(f, wp, bp, wm, bm, output, n, layers, i);
        else Conditional<double>(f, wp, bp, wm, bm, output, n, layers, i);
        return output;
    }

    private static void Conditional<T>(Tensor f, Tensor wp, Tensor bp, Tensor wm, Tensor bm, Tensor output, int n, int layers, int i)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var outputs = TensorSpan.Of<T>(output);
        int half = outputs.Length / 2;
        SkBranchKernel.Conditional(TensorSpan.Of<T>(f), n, layers, i,
            new SkBranchKernel.Branch<T>(TensorSpan.Of<T>(wp), TensorSpan.Of<T>(bp)),
            new SkBranchKernel.Branch<T>(TensorSpan.Of<T>(wm), TensorSpan.Of<T>(bm)),
            outputs[..half], outputs[half..]);
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var t = vars.Cast<Tensor>().Select(v => v.contiguous()).ToArray();
        ctx.save_for_backward([.. t]);
        var (x, j, wp, bp, wm, bm) = (t[0], t[1], t[2], t[3], t[4], t[5]);
        long batch = x.shape[0], n = x.shape[1];
        int layers = (int)wp.shape[0];
        var output = empty([2, batch, n], dtype: x.dtype, device: x.device);
        if (x.dtype == ScalarType.Float32) Forward<float>(x, j, wp, bp, wm, bm, output, (int)n, layers);
        else Forward<double>(x, j, wp, bp, wm, bm, output, (int)n, layers);
        return output;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var t = ctx.get_saved_variables();
        var (x, j, wp, bp, wm, bm) = (t[0], t[1], t[2], t[3], t[4], t[5]);
        var grad = grad_output.contiguous();
        int n = (int)x.shape[1], layers = (int)wp.shape[0];
        var gwp = zeros_like(wp); var gbp = zeros_like(bp); var gwm = zeros_like(wm); var gbm = zeros_like(bm);
        if (x.dtype == ScalarType.Float32) Backward<float>(x, j, wp, bp, wm, bm, grad, gwp, gbp, gwm, gbm, n, layers);
        else Backward<double>(x, j, wp, bp, wm, bm, grad, gwp, gbp, gwm, gbm, n, layers);
        return [null!, null!, gwp, gbp, gwm, gbm];
    }

    private static void Forward<T>(Tensor x, Tensor j, Tensor wp, Tensor bp, Tensor wm, Tensor bm, Tensor output, int n, int layers)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var outputs = TensorSpan.Of<T>(output);
        int half = outputs.Length / 2;
        SkBranchKernel.Forward(TensorSpan.Of<T>(x), TensorSpan.Of<T>(j), n, layers,
            new SkBranchKernel.Branch<T>(TensorSpan.Of<T>(wp), TensorSpan.Of<T>(bp)),
            new SkBranchKernel.Branch<T>(TensorSpan.Of<T>(wm), TensorSpan.Of<T>(bm)),
            outputs[..half], outputs[half..]);
    }

    private static void Backward<T>(Tensor x, Tensor j, Tensor wp, Tensor bp, Tensor wm, Tensor bm, Tensor grad,
                                    Tensor gwp, Tensor gbp, Tensor gwm, Tensor gbm, int n, int layers)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> g = TensorSpan.Of<T>(grad);
        int half = g.Length / 2;
        SkBranchKernel.Backward(TensorSpan.Of<T>(x), TensorSpan.Of<T>(j), n, layers,
            new SkBranchKernel.Branch<T>(TensorSpan.Of<T>(wp), TensorSpan.Of<T>(bp)),
            new SkBranchKernel.Branch<T>(TensorSpan.Of<T>(wm), TensorSpan.Of<T>(bm)),
            g[..half], g[half..],
            new SkBranchKernel.BranchGradient<T>(TensorSpan.Of<T>(gwp), TensorSpan.Of<T>(gbp)),
            new SkBranchKernel.BranchGradient<T>(TensorSpan.Of<T>(gwm), TensorSpan.Of<T>(gbm)));
    }
}

/// <summary>The storage of a contiguous CPU tensor as a span (valid while the tensor lives).</summary>
internal static partial class TensorSpan
{
    // TorchSharp's own accessor of the storage pointer (the native export its TensorAccessor reads).
    [LibraryImport("LibTorchSharp")]
    private static partial IntPtr THSTensor_data(IntPtr handle);

    public static unsafe Span<T> Of<T>(Tensor t) where T : unmanaged
    {
        if (t.device_type != DeviceType.CPU || !t.is_contiguous())
            throw new ArgumentException("TensorSpan: the tensor must be a contiguous CPU tensor.", nameof(t));
        return new Span<T>((void*)THSTensor_data(t.Handle), checked((int)t.numel()));
    }
}
