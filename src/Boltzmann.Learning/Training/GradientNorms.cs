using System.Numerics;
using System.Runtime.InteropServices;
using Boltzmann.Learning.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Training;

/// <summary>
/// The Euclidean norm of all gradients of a parameter list without a dtype conversion kernel: on CPU one vectorised
/// read of each gradient's memory, squares accumulated in float64 lanes (a float32 square is exact in float64, so the
/// result equals the float64 norm up to summation order, and a NaN or ±∞ element makes it non-finite); on other devices
/// the stacked per-tensor norms in the gradients' dtype with one host read.
/// </summary>
public static class GradientNorms
{
    public static double Norm(IReadOnlyList<Parameter> parameters)
    {
        double sum = 0;
        List<Tensor>? others = null;
        using var scope = NewDisposeScope();
        foreach (var p in parameters)
        {
            var g = p.grad;
            if (g is null) continue;
            if (TensorMemory.CanView<float>(g)) sum += SumOfSquares(TensorMemory.View<float>(g));
            else if (TensorMemory.CanView<double>(g)) sum += SumOfSquares(TensorMemory.View<double>(g));
            else (others ??= []).Add(linalg.vector_norm(g.detach()));
        }
        if (others is not null)
        {
            double n = linalg.vector_norm(stack(others)).to(ScalarType.Float64).item<double>();
            sum += n * n;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Σ xᵢ² in float64 lanes.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        int n = x.Length, i = 0, w = Vector<float>.Count;
        ref float r = ref MemoryMarshal.GetReference(x);
        Vector<double> a = Vector<double>.Zero, b = Vector<double>.Zero;
        for (; i <= n - w; i += w)
        {
            Vector.Widen(Vector.LoadUnsafe(ref r, (nuint)i), out var lo, out var hi);
            a = Vector.FusedMultiplyAdd(lo, lo, a);
            b = Vector.FusedMultiplyAdd(hi, hi, b);
        }
        double sum = Vector.Sum(a + b);
        for (; i < n; i++) sum += (double)x[i] * x[i];
        return sum;
    }

    /// <summary>Σ xᵢ².</summary>
    public static double SumOfSquares(ReadOnlySpan<double> x)
    {
        int n = x.Length, i = 0, w = Vector<double>.Count;
        ref double r = ref MemoryMarshal.GetReference(x);
        Vector<double> a = Vector<double>.Zero, b = Vector<double>.Zero;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            var u = Vector.LoadUnsafe(ref r, (nuint)i);
            var v = Vector.LoadUnsafe(ref r, (nuint)(i + w));
            a = Vector.FusedMultiplyAdd(u, u, a);
            b = Vector.FusedMultiplyAdd(v, v, b);
        }
        double sum = Vector.Sum(a + b);
        for (; i < n; i++) sum += x[i] * x[i];
        return sum;
    }
}
