using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Training.Optimizers;

/// <summary>
/// Plain SGD exactly as TorchSharp 0.107's <c>torch.optim.SGD</c> computes it without momentum:
/// g ← ∇ + wd·θ (when wd ≠ 0); θ ← θ − lr·g (one <c>add_</c> with alpha −lr). Momentum is not offered (see
/// <see cref="OptimizerKind"/>); the checkpoint format is TorchSharp's (no momentum buffer per parameter).
/// </summary>
public sealed class SgdOptimizer : ParameterOptimizer
{
    private Scalar _weightDecay = null!;

    public SgdOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        if (!(weightDecay >= 0)) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}", nameof(weightDecay));
        SetWeightDecay(weightDecay);
    }

    public double WeightDecay { get; private set; }

    protected override string TypeName => "SGD";

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        if (WeightDecay != 0) grad = grad.add(parameter, _weightDecay);
        using var minusLearningRate = (-LearningRate).ToScalar();
        parameter.add_(grad, minusLearningRate);
    }

    protected override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(0.0);   // momentum
        writer.Write(0.0);   // dampening
        writer.Write(WeightDecay);
        writer.Write(false); // nesterov
        writer.Write(false); // maximize
    }

    protected override void LoadOptions(BinaryReader reader)
    {
        double momentum = reader.ReadDouble(), dampening = reader.ReadDouble(), weightDecay = reader.ReadDouble();
        bool nesterov = reader.ReadBoolean(), maximize = reader.ReadBoolean();
        if (momentum != 0 || nesterov || maximize)
            throw new InvalidDataException($"The SGD state uses momentum = {momentum}, dampening = {dampening}, nesterov = {nesterov}, maximize = {maximize}; only plain SGD is implemented.");
        _weightDecay.Dispose();
        SetWeightDecay(weightDecay);
    }

    protected override void SaveState(BinaryWriter writer, int index) => writer.Write(false); // no momentum buffer

    protected override void LoadState(BinaryReader reader, int index)
    {
        if (reader.ReadBoolean())
            throw new InvalidDataException("The SGD state holds a momentum buffer; only plain SGD is implemented.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _weightDecay.Dispose();
    }

    private void SetWeightDecay(double weightDecay)
    {
        WeightDecay = weightDecay;
        _weightDecay = weightDecay.ToScalar();
    }
}
