using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Hierarchical;

/// <summary>
/// The s and t networks of NeuralRG couplings (Li &amp; Wang 2018, arXiv:1802.02840, supplement below eq. S1):
/// multilayer perceptrons R^2 → R^2 with exponential-linear (ELU) hidden activations and a linear last layer, stored
/// stacked: layer i of network n is weight[i][n] ([in, out], acting as h·W) and bias[i][n] ([1, out]). Two networks
/// with the same input (the s and t of one coupling) run together as one batched matrix product per layer
/// (<see cref="Stacked"/>). ELU (h for h ≥ 0, e^h − 1 otherwise) is libtorch's fused kernel with alpha = scale =
/// input_scale = 1 passed as the shared process-lifetime Scalar (no temporary Scalar; see ScalarArithmetic). Weights are drawn from an explicit generator (U(±1/√fan_in), PyTorch's Linear default), so a
/// seed fixes the model.
/// </summary>
public static class EluMlp
{
    /// <summary>
    /// Networks <paramref name="first"/> and <paramref name="first"/> + 1 applied to the same
    /// <paramref name="input"/> [rows, in]: returns [2, rows, out] (index 0: network <paramref name="first"/>).
    /// </summary>
    public static Tensor Stacked(IReadOnlyList<Tensor> weight, IReadOnlyList<Tensor> bias, int first, Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input.unsqueeze(0).expand(2, input.shape[0], input.shape[1]);
        for (int i = 0; i < weight.Count; i++)
        {
            // bias + h·W. TorchSharp 0.107's baddbmm binding passes its operands rotated (the tensor it is called on
            // becomes batch1, the last argument the added matrix), hence the argument order; NeuralRgFlowTests pin it.
            var a = h.baddbmm(weight[i].narrow(0, first, 2), bias[i].narrow(0, first, 2));
            if (i == weight.Count - 1) { h = a; break; }
            h = a.elu(ScalarArithmetic.One, ScalarArithmetic.One, ScalarArithmetic.One);
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws network <paramref name="net"/>'s weights and biases layer by layer (weight as [out, in], then bias) from
    /// U(−1/√fan_in, 1/√fan_in) with <paramref name="generator"/> (CPU, float64) and copies them into the stacked
    /// parameters (call under no_grad); with <paramref name="zeroLast"/> its last layer is set to zero without drawing.
    /// </summary>
    public static void InitializeSlice(IReadOnlyList<Tensor> weight, IReadOnlyList<Tensor> bias, int net, Generator generator, bool zeroLast)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        for (int i = 0; i < weight.Count; i++)
        {
            var w = weight[i][net]; // [in, out]
            var b = bias[i][net];   // [1, out]
            long fanIn = w.shape[0], fanOut = w.shape[1];
            if (zeroLast && i == weight.Count - 1)
            {
                w.copy_(zeros(w.shape, w.dtype, w.device));
                b.copy_(zeros(b.shape, b.dtype, b.device));
                continue;
            }
            double bound = 1.0 / Math.Sqrt(fanIn);
            var drawW = rand([fanOut, fanIn], ScalarType.Float64, CPU, generator: generator).Times(2 * bound).PlusConstant(-bound);
            w.copy_(drawW.t().to(w.dtype, w.device));
            var drawB = rand([fanOut], ScalarType.Float64, CPU, generator: generator).Times(2 * bound).PlusConstant(-bound);
            b.copy_(drawB.unsqueeze(0).to(b.dtype, b.device));
        }
    }
}
