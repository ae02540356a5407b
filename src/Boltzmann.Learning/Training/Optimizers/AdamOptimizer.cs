using Boltzmann.Learning.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Training.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, Algorithm 1) exactly as TorchSharp 0.107's <c>torch.optim.Adam</c> computes it
/// (amsgrad and maximize off): g ← ∇ + wd·θ (L2, when wd ≠ 0); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// θ ← θ − (lr/bc₁) · m / (√v / √bc₂ + ε) with bcₖ = 1 − βₖ^t, the same libtorch ops in the same order, so results
/// are bit-identical (tests compare parameters and checkpoint bytes with TorchSharp's Adam). The constant Scalars
/// are created once; the two per-step ones live in a <c>using</c> across their call (see <see cref="ParameterOptimizer"/>).
/// </summary>
public sealed class AdamOptimizer : ParameterOptimizer
{
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;
    private readonly long[] _steps;
    private readonly Tensor?[] _scratch;

    /// <summary>Elements per chunk of the fused update (a few KB per buffer: the chunk stays in L1/L2 between its passes).</summary>
    private const int ChunkElements = 1024;
    private Scalar _beta1 = null!, _oneMinusBeta1 = null!, _beta2 = null!, _oneMinusBeta2 = null!, _eps = null!, _weightDecay = null!;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                         double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        if (!(eps >= 0)) throw new ArgumentException($"Invalid ε: {eps}", nameof(eps));
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"Invalid beta1: {beta1}", nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"Invalid beta2: {beta2}", nameof(beta2));
        if (!(weightDecay >= 0)) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}", nameof(weightDecay));
        SetHyperParameters(beta1, beta2, eps, weightDecay);
        _expAvg = new Tensor[Parameters.Length];
        _expAvgSq = new Tensor[Parameters.Length];
        _steps = new long[Parameters.Length];
        _scratch = new Tensor?[Parameters.Length];
        for (int i = 0; i < Parameters.Length; i++)
        {
            _expAvg[i] = zeros_like(Parameters[i]).DetachFromDisposeScope();
            _expAvgSq[i] = zeros_like(Parameters[i]).DetachFromDisposeScope();
        }
    }

    public double Beta1 { get; private set; }

    public double Beta2 { get; private set; }

    public double Epsilon { get; private set; }

    public double WeightDecay { get; private set; }

    /// <summary>Adam's step count t of parameter <paramref name="index"/>.</summary>
    public long StepCount(int index) => _steps[index];

    protected override string TypeName => "Adam";

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        long t = ++_steps[index];
        double biasCorrection1 = 1 - Math.Pow(Beta1, t);
        double biasCorrection2 = 1 - Math.Pow(Beta2, t);
        if (Fused<float>(index, parameter, grad, biasCorrection1, biasCorrection2)
            || Fused<double>(index, parameter, grad, biasCorrection1, biasCorrection2)) return;
        if (WeightDecay != 0) grad = grad.add(parameter, _weightDecay);

        var m = _expAvg[index];
        var v = _expAvgSq[index];
        m.mul_(_beta1).add_(grad, _oneMinusBeta1);
        // TorchSharp multiplies by grad.conj(); for the real tensors trained here conj() is the identity.
        v.mul_(_beta2).addcmul_(grad, grad, _oneMinusBeta2);
        using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        // TorchSharp: (v.sqrt() / √bc₂).add_(ε); dividing the fresh sqrt in place runs the same kernel on the same
        // values and saves one allocation.
        // add_(Scalar) would pass a temporary alpha = 1 Scalar (the race above): give the shared One explicitly.
        var denom = v.sqrt().div_(sqrtBiasCorrection2).add_(_eps, ScalarArithmetic.One);
        using var minusStepSize = (-(LearningRate / biasCorrection1)).ToScalar();
        parameter.addcdiv_(m, denom, minusStepSize);
    }

    /// <summary>
    /// The update of <see cref="Update"/> as fused passes (<see cref="AdamKernel"/>: weight decay and moments, libtorch's
    /// square root (<see cref="LibtorchSqrt"/>), parameter) over cache-sized chunks, when every buffer is a contiguous CPU
    /// tensor of element type <typeparamref name="T"/>; false (nothing done) otherwise. Same numbers bit for bit; each buffer
    /// crosses the memory bus once (28 bytes per float32 parameter instead of ~80 for the per-operation sequence); no
    /// per-step allocations. Without the MKL entry point the square root runs as torch's sqrt_ on a whole-tensor scratch.
    /// The writes bypass autograd's version counters (the step runs under no_grad on leaf parameters whose graphs are gone).
    /// </summary>
    private bool Fused<T>(int index, Parameter parameter, Tensor grad, double biasCorrection1, double biasCorrection2)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = _expAvg[index];
        var v = _expAvgSq[index];
        if (!TensorMemory.CanView<T>(parameter) || !TensorMemory.CanView<T>(grad) || !TensorMemory.CanView<T>(m) || !TensorMemory.CanView<T>(v)
            || !parameter.shape.AsSpan().SequenceEqual(grad.shape)) return false;
        // libtorch converts each double Scalar to the tensor's element type before its kernel: so do we.
        static T E(double x) => T.CreateTruncating(x);
        T beta1 = E(Beta1), oneMinusBeta1 = E(1 - Beta1), beta2 = E(Beta2), oneMinusBeta2 = E(1 - Beta2);
        T sqrtBc2 = E(Math.Sqrt(biasCorrection2)), eps = E(Epsilon), step = E(-(LearningRate / biasCorrection1)), wd = E(WeightDecay);
        var p = TensorMemory.View<T>(parameter);
        ReadOnlySpan<T> g = TensorMemory.View<T>(grad);
        var mv = TensorMemory.View<T>(m);
        var vv = TensorMemory.View<T>(v);
        if (LibtorchSqrt.IsAvailable<T>())
        {
            // One pass in cache-sized chunks: every buffer is read once and written once from memory.
            Span<T> d = stackalloc T[ChunkElements];
            for (int start = 0; start < p.Length; start += ChunkElements)
            {
                int length = Math.Min(ChunkElements, p.Length - start);
                var dc = d[..length];
                scoped ReadOnlySpan<T> gc = g.Slice(start, length);
                if (WeightDecay != 0)
                {
                    AdamKernel.WeightDecay(gc, p.Slice(start, length), wd, dc);
                    gc = dc;
                }
                AdamKernel.Moments(gc, mv.Slice(start, length), vv.Slice(start, length), dc, beta1, oneMinusBeta1, beta2, oneMinusBeta2);
                LibtorchSqrt.InPlace(dc);
                AdamKernel.Update(p.Slice(start, length), mv.Slice(start, length), dc, sqrtBc2, eps, step);
            }
            return true;
        }
        var scratch = _scratch[index] ??= empty_like(m).DetachFromDisposeScope();
        var whole = TensorMemory.View<T>(scratch);
        if (WeightDecay != 0)
        {
            AdamKernel.WeightDecay(g, p, wd, whole);
            g = whole;
        }
        AdamKernel.Moments(g, mv, vv, whole, beta1, oneMinusBeta1, beta2, oneMinusBeta2);
        scratch.sqrt_();
        AdamKernel.Update(p, mv, TensorMemory.View<T>(scratch), sqrtBc2, eps, step);
        return true;
    }

    protected override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(Beta1);
        writer.Write(Beta2);
        writer.Write(Epsilon);
        writer.Write(WeightDecay);
        writer.Write(false); // amsgrad
        writer.Write(false); // maximize
    }

    protected override void LoadOptions(BinaryReader reader)
    {
        double beta1 = reader.ReadDouble(), beta2 = reader.ReadDouble(), eps = reader.ReadDouble(), weightDecay = reader.ReadDouble();
        bool amsgrad = reader.ReadBoolean(), maximize = reader.ReadBoolean();
        if (amsgrad || maximize)
            throw new InvalidDataException($"The Adam state uses amsgrad = {amsgrad}, maximize = {maximize}; only plain Adam is implemented.");
        // TorchSharp adopts the stored hyper-parameters; so does this class (the Trainer's fingerprint makes them equal anyway).
        DisposeScalars();
        SetHyperParameters(beta1, beta2, eps, weightDecay);
    }

    protected override void SaveState(BinaryWriter writer, int index)
    {
        writer.Write(_steps[index]);
        _expAvg[index].Save(writer);
        _expAvgSq[index].Save(writer);
        writer.Write(false); // no max_exp_avg_sq (amsgrad off)
    }

    protected override void LoadState(BinaryReader reader, int index)
    {
        long step = reader.ReadInt64();
        _expAvg[index].Load(reader);
        _expAvgSq[index].Load(reader);
        if (reader.ReadBoolean())
            throw new InvalidDataException("The Adam state holds max_exp_avg_sq (amsgrad); only plain Adam is implemented.");
        _steps[index] = step;
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        DisposeScalars();
        foreach (var t in _expAvg) t.Dispose();
        foreach (var t in _expAvgSq) t.Dispose();
        foreach (var t in _scratch) t?.Dispose();
    }

    private void SetHyperParameters(double beta1, double beta2, double eps, double weightDecay)
    {
        Beta1 = beta1; Beta2 = beta2; Epsilon = eps; WeightDecay = weightDecay;
        // The same double values TorchSharp converts implicitly (1 − β computed in double).
        _beta1 = beta1.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _beta2 = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _eps = eps.ToScalar();
        _weightDecay = weightDecay.ToScalar();
    }

    private void DisposeScalars()
    {
        _beta1?.Dispose(); _oneMinusBeta1?.Dispose(); _beta2?.Dispose(); _oneMinusBeta2?.Dispose(); _eps?.Dispose(); _weightDecay?.Dispose();
    }
}
