using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Targets;
using Boltzmann.Physics.Relaxation;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Relaxation;

/// <summary>
/// The dual Ising field of Li &amp; Wang 2018 (arXiv:1802.02840, eq. 7) as a batched, differentiable tensor target
/// over events [L, L]: ln pi(x) = -x^T (K + alpha I)^{-1} x / 2 + sum_i ln cosh x_i (cosh, not 2cosh; Lebesgue
/// measure, so ln Z_x = <see cref="IsingDualField.ExactLnZx"/>). The plain-C# <see cref="IsingDualField"/> it is
/// built from is the reference it is tested against. ln cosh reuses the overflow-free
/// <see cref="SkRelaxationTarget.LnTwoCosh"/> minus ln 2; its autograd derivative is tanh x.
/// Also the improved (Rao-Blackwellised) spin observables given x: E[(sum s/N)^2 | x] and E[H/N | x].
/// </summary>
public sealed class IsingDualFieldTarget : ITarget, IDisposable
{
    private static readonly double Ln2 = Math.Log(2.0);
    private readonly Tensor _precision;
    private bool _disposed;

    /// <summary>The target of <paramref name="field"/> in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public IsingDualFieldTarget(IsingDualField field, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"IsingDualFieldTarget: dtype {dtype} is not allowed; must be Float32 or Float64.", nameof(dtype));
        Field = field;
        Dtype = dtype;
        Device = device ?? CPU;
        _precision = tensor(field.Precision.ToArray(), [field.N, field.N], ScalarType.Float64).to(dtype, Device);
    }

    /// <summary>The plain-C# dual field (K, alpha, exact ln Z_x).</summary>
    public IsingDualField Field { get; }

    public long[] EventShape => [Field.L, Field.L];

    public ScalarType Dtype { get; }

    public Device Device { get; }

    /// <summary>ln pi(x) per event of x [batch, L, L] (differentiable in x).</summary>
    public Tensor LogProb(Tensor x)
    {
        Require(x);
        using var scope = NewDisposeScope();
        var flat = x.reshape(x.shape[0], Field.N);
        var quadratic = flat.mul(flat.matmul(_precision)).sum(1);
        var lnCosh = SkRelaxationTarget.LnTwoCosh(flat).sum(1).PlusConstant(-Field.N * Ln2);
        return lnCosh.sub(quadratic.Times(0.5)).MoveToOuterDisposeScope();
    }

    /// <summary>E[(sum_i s_i / N)^2 | x] = ((sum t)^2 - sum t^2 + N) / N^2, t = tanh x, per event → [batch].</summary>
    public Tensor MagnetizationSquared(Tensor x)
    {
        Require(x);
        using var scope = NewDisposeScope();
        var t = x.reshape(x.shape[0], Field.N).tanh();
        double n = Field.N;
        var sum = t.sum(1);
        return sum.mul(sum).sub(t.mul(t).sum(1)).PlusConstant(n).Times(1.0 / (n * n)).MoveToOuterDisposeScope();
    }

    /// <summary>E[H/N | x] = -(1/N) sum_bonds tanh x_i tanh x_j per event → [batch].</summary>
    public Tensor EnergyPerSite(Tensor x)
    {
        Require(x);
        using var scope = NewDisposeScope();
        var t = x.tanh();
        var bonds = t.mul(t.roll(-1, 1)).sum(new long[] { 1, 2 }).add(t.mul(t.roll(-1, 2)).sum(new long[] { 1, 2 }));
        return bonds.Times(-1.0 / Field.N).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _precision.Dispose();
    }

    private void Require(Tensor x)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 3 || x.shape[1] != Field.L || x.shape[2] != Field.L)
            throw new ArgumentException($"IsingDualFieldTarget: x must be [batch, {Field.L}, {Field.L}]; got shape [{string.Join(", ", x.shape)}].", nameof(x));
        if (x.dtype != Dtype)
            throw new ArgumentException($"IsingDualFieldTarget: x has dtype {x.dtype}, the target {Dtype}; convert it first.", nameof(x));
        if (x.device.type != Device.type)
            throw new ArgumentException($"IsingDualFieldTarget: x is on {x.device}, the target on {Device}.", nameof(x));
    }
}
