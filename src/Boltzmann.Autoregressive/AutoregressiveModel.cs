using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using System.Runtime.Intrinsics;

namespace Boltzmann.Autoregressive;

/// <summary>
/// An autoregressive network over N Ising spins x_i in {-1, +1}: Q(x) = prod_i Q(x_i | x_&lt;i) with
/// Q(x_i = +1 | x_&lt;i) = sigma(logit_i(x_&lt;i)) (Biazzo 2023, section II and eq. 4: the last layer of every
/// conditional is the sigmoid). Because Q(x_i | x_&lt;i) = sigma(x_i logit_i) for x_i = +-1,
/// ln Q(x) = sum_i ln sigma(x_i logit_i(x_&lt;i)), which is evaluated for a whole batch in one pass (teacher forcing:
/// the true prefix is fed to every conditional at once). Samples are drawn by ancestral sampling, one spin at a time
/// for the whole batch, with the architecture's incremental state (e.g. the recursive first layer of eq. 10) so a
/// step costs what one conditional costs, not a full forward pass.
/// </summary>
/// <remarks>
/// Spins are tensors [batch, N] with entries +-1 on <see cref="Device"/>, in the model's floating dtype
/// <see cref="DType"/> (float64 by default, float32 as the faster training precision); teacher-forced passes accept
/// float32 or float64 spins and convert them to <see cref="DType"/>. A model is built on its device and in its dtype
/// and is not meant to be moved or converted afterwards (its tensors are created there): <c>Module.to(dtype)</c> with
/// another dtype is refused (build the model with that dtype instead). Parameter counts follow the paper's
/// convention of counting every weight and bias of the network: <see cref="TrainableParameterCount"/> counts the free
/// (learned) ones, <see cref="FixedParameterCount"/> those fixed analytically or by the Hamiltonian (CW_N's weights,
/// the SK first layer); entries that masks exclude are never counted. Each architecture also exposes its closed-form
/// count as a static method, which the tests compare with these tensor-based counts.
/// </remarks>
public abstract class AutoregressiveModel : nn.Module<Tensor, Tensor>, IExactSampler
{
    protected AutoregressiveModel(string name, int n, Device? device, ScalarType dtype = ScalarType.Float64) : base(name)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, $"{name}: the number of spins N must be >= 1.");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"{name}: the dtype must be Float32 or Float64.");
        N = n;
        Device = device ?? CPU;
        DType = dtype;
    }

    /// <summary>Floating dtype of the parameters, buffers, spins and logits (Float32 or Float64).</summary>
    public ScalarType DType { get; }

    /// <summary>
    /// Refuses a conversion to another dtype: the architectures keep references to their tensors, which a conversion
    /// would replace. Converting to <see cref="DType"/> itself (what the Trainer does with a matching
    /// <c>TrainingOptions.DType</c>) is a no-op.
    /// </summary>
    protected override nn.Module _to(ScalarType dtype, bool non_blocking)
    {
        if (dtype != DType)
            throw new InvalidOperationException(
                $"{Architecture}: the model was built in {DType} and cannot be converted to {dtype}; build it with dtype {dtype} " +
                $"(and train with TrainingOptions.DType = {DType}).");
        return this;
    }

    /// <summary>Number of spins N.</summary>
    public int N { get; }

    /// <inheritdoc />
    public int Dimension => N;

    /// <summary>Device on which the model's tensors live and samples are produced.</summary>
    public Device Device { get; }

    /// <summary>The architecture's name as in the paper (CW_N, CW_inf, 1P, 1L, MADE_dw, SK_RS, SK_kRSB).</summary>
    public abstract string Architecture { get; }

    /// <summary>Number of learned weights and biases (masked-out entries excluded).</summary>
    public abstract long TrainableParameterCount { get; }

    /// <summary>Number of weights and biases fixed analytically or by the Hamiltonian (not learned).</summary>
    public abstract long FixedParameterCount { get; }

    /// <summary>All weights and biases of the network, fixed or learned: the paper's parameter count.</summary>
    public long ParameterCount => TrainableParameterCount + FixedParameterCount;

    /// <summary>
    /// logit_i(x_&lt;i) for every i, teacher-forced: [batch, N] -> [batch, N], with
    /// Q(x_i = +1 | x_&lt;i) = sigma(logit_i). logit_i never depends on x_j for j &gt;= i.
    /// </summary>
    public Tensor Logits(Tensor x)
    {
        ValidateSpins(x, nameof(x));
        using var scope = NewDisposeScope();
        return ComputeLogits(InDType(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Same as <see cref="Logits"/> (the module's forward pass).</summary>
    public override Tensor forward(Tensor x) => Logits(x);

    /// <summary>Q(x_i = +1 | x_&lt;i) for every i: [batch, N].</summary>
    public Tensor ConditionalProbabilities(Tensor x)
    {
        ValidateSpins(x, nameof(x));
        using var scope = NewDisposeScope();
        return torch.sigmoid(ComputeLogits(InDType(x))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Exact ln Q(x) = sum_i ln sigma(x_i logit_i(x_&lt;i)) for a batch [batch, N] -> [batch]; differentiable with
    /// respect to the learned parameters (this is what training back-propagates through).
    /// </summary>
    public Tensor LogProb(Tensor samples)
    {
        ValidateSpins(samples, nameof(samples));
        using var scope = NewDisposeScope();
        var x = InDType(samples);
        if (FusedKernel && PrefixSumConditionals() is { } prefixSum && Models.PrefixSumLogProbFunction.Supports(x, prefixSum.Weights))
            return Models.PrefixSumLogProbFunction.Apply(x, prefixSum.Weights, prefixSum.Form).MoveToOuterDisposeScope();
        return logsigmoid(x * ComputeLogits(x)).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Ancestral sampling: for i = 1..N, x_i = +1 with probability sigma(logit_i(x_&lt;i)), for the whole batch at
    /// once, updating the architecture's incremental state after each spin. Returns the samples [batch, N] and their
    /// exact ln Q [batch] accumulated along the way (no gradient: differentiate <see cref="LogProb"/> instead). Samples are
    /// in <see cref="DType"/>; ln Q is accumulated and returned in float64 whatever the dtype (a sum of N terms, read by
    /// the estimators).
    /// Uniforms come only from <paramref name="generator"/> (which must live on <see cref="Device"/>), one
    /// [batch] draw per spin, so a seeded generator reproduces the samples exactly.
    /// </summary>
    public (Tensor Samples, Tensor LogProb) Sample(long batch, Generator? generator = null)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"{Architecture}: the batch size must be >= 1.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (FusedKernel && Device.type == DeviceType.CPU && PrefixSumConditionals() is { } prefixSum)
            return SampleOnHost(batch, generator, prefixSum, scope);
        var x = zeros(batch, N, dtype: DType, device: Device);
        var logq = zeros(batch, dtype: ScalarType.Float64, device: Device);
        var state = BeginAncestralSampling(batch);
        var plus = ones(batch, dtype: DType, device: Device);
        var minus = plus.neg();
        for (int i = 0; i < N; i++)
        {
            using var step = NewDisposeScope();
            var logit = state.Logit(i);
            var u = rand(batch, dtype: DType, device: Device, generator: generator);
            var xi = where(u.lt(torch.sigmoid(logit)), plus, minus); // no per-spin Scalars (ScalarArithmetic)
            x.select(1, i).copy_(xi);
            logq.add_(logsigmoid(xi * logit), ScalarArithmetic.One);
            state.Observe(i, xi);
        }
        return (x.MoveToOuterDisposeScope(), logq.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Whether the architecture's fused CPU kernel runs, where it has one (default true): CW_inf and 1P
    /// (<see cref="Models.PrefixSumKernel"/>: teacher-forced ln Q, its backward pass, ancestral sampling), SK_RS and SK_kRSB
    /// (<see cref="Models.SkBranchKernel"/>). With false, or off the CPU, the network is composed of libtorch operations:
    /// the reference the kernels are tested against.
    /// </summary>
    public bool FusedKernel { get; set; } = true;

    /// <summary>
    /// For architectures whose logit_i depends on the prefix only through M_&lt;i (<see cref="IPrefixSumConditionals"/>:
    /// CW_inf, 1P): the shape of their logit and the learned weights w_i [N], which the fused kernel evaluates as plain
    /// vectorised loops (their ~15 libtorch operations per spin on [batch] vectors, or per pass on [batch, N] tensors,
    /// cost dispatch and memory passes, not arithmetic). Null (default): no such kernel.
    /// </summary>
    internal virtual (Models.PrefixSumLogitForm Form, Tensor Weights)? PrefixSumConditionals() => null;

    /// <summary>
    /// Ancestral sampling through <see cref="Models.PrefixSumKernel.Sample"/>: the uniforms are one [N, batch] float64 draw
    /// from the generator (u[i, b] for spin i of sample b), the spins are drawn in float64 whatever the model's dtype.
    /// </summary>
    private (Tensor Samples, Tensor LogProb) SampleOnHost(long batch, Generator? generator, (Models.PrefixSumLogitForm Form, Tensor Weights) prefixSum, DisposeScope scope)
    {
        var uniforms = rand(N, batch, dtype: ScalarType.Float64, device: CPU, generator: generator).contiguous();
        var weights = prefixSum.Weights.detach().to_type(ScalarType.Float64).contiguous();
        var samples64 = empty(batch, N, dtype: ScalarType.Float64, device: CPU);
        var lnq = empty(batch, dtype: ScalarType.Float64, device: CPU);
        Models.PrefixSumKernel.Sample(Models.TensorSpan.Of<double>(uniforms), Models.TensorSpan.Of<double>(weights), prefixSum.Form,
                                      Models.TensorSpan.Of<double>(samples64), Models.TensorSpan.Of<double>(lnq));
        var samples = DType == ScalarType.Float64 ? samples64 : samples64.to_type(DType);
        return scope.MoveToOuter(samples, lnq);
    }

    /// <summary>Teacher-forced logits for validated spins [batch, N] -> [batch, N].</summary>
    protected abstract Tensor ComputeLogits(Tensor x);

    /// <summary>Fresh incremental state for ancestral sampling of <paramref name="batch"/> configurations.</summary>
    protected abstract AncestralState BeginAncestralSampling(long batch);

    /// <summary>Spins in the model's dtype (the tensor itself when it already is).</summary>
    private Tensor InDType(Tensor x) => x.dtype == DType ? x : x.to_type(DType);

    /// <summary>Checks that <paramref name="x"/> is a float32 or float64 [batch, N] tensor of +-1 on this model's device.</summary>
    protected void ValidateSpins(Tensor x, string argument)
    {
        ArgumentNullException.ThrowIfNull(x, argument);
        if (x.dim() != 2 || x.shape[1] != N)
            throw new ArgumentException($"{Architecture}: {argument} must have shape [batch, {N}], got [{string.Join(", ", x.shape)}].", argument);
        if (x.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"{Architecture}: {argument} must be float32 or float64 spins, got {x.dtype}.", argument);
        if (x.device_type != Device.type || (Device.type != DeviceType.CPU && x.device_index != Device.index))
            throw new ArgumentException($"{Architecture}: {argument} is on {x.device}, the model is on {Device}.", argument);
        if (x.shape[0] == 0) return;
        if (x.is_contiguous() && x.device_type == DeviceType.CPU)
        {
            // On the host: one vectorised pass over the storage instead of four libtorch operations and a host read.
            bool spins = x.dtype == ScalarType.Float32 ? AllSpins(Models.TensorSpan.Of<float>(x)) : AllSpins(Models.TensorSpan.Of<double>(x));
            if (!spins) throw new ArgumentException($"{Architecture}: {argument} must contain only spins -1 and +1.", argument);
            return;
        }
        using var scope = NewDisposeScope();
        if (x.abs().ne(1.0).any().item<bool>())
            throw new ArgumentException($"{Architecture}: {argument} must contain only spins -1 and +1.", argument);
    }

    /// <summary>Whether every entry is -1 or +1.</summary>
    private static bool AllSpins<T>(ReadOnlySpan<T> values) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var bad = Vector256<T>.Zero;
            ref T v0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values);
            for (; i + Vector256<T>.Count <= values.Length; i += Vector256<T>.Count)
                bad |= ~Vector256.Equals(Vector256.Abs(Vector256.LoadUnsafe(ref v0, (nuint)i)),
                                                                 Vector256<T>.One);
            if (bad != Vector256<T>.Zero) return false;
        }
        for (; i < values.Length; i++)
            if (T.Abs(values[i]) != T.One) return false;
        return true;
    }
}
