using System.Globalization;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Training;

/// <summary>
/// Settings of one training stage run by <see cref="Trainer"/>: Adam (Kingma &amp; Ba 2015, Algorithm 1, as
/// TorchSharp's <c>torch.optim.Adam</c> computes it; <see cref="Optimizers.AdamOptimizer"/>), the learning-rate schedule, numerical guards,
/// checkpointing, logging and the float32/float64 switch. Immutable; <see cref="Problems"/> lists every
/// invalid value at once.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Total number of optimisation steps of the stage.</summary>
    public long Steps { get; init; } = 1000;

    /// <summary>Initial Adam learning rate lr₀.</summary>
    public double LearningRate { get; init; } = 1e-3;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// Linear learning-rate warm-up: step t (0-based) uses min(1, (t + 1)/W) times the scheduled rate (0 = none). Pure in
    /// the step index, so a resumed run uses the same rates.
    /// </summary>
    public long WarmupSteps { get; init; }

    /// <summary>For <see cref="LearningRateSchedule.Cosine"/>: the final rate as a fraction f of lr₀.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.01;

    /// <summary>The optimizer: Adam (default; <see cref="Beta1"/>, <see cref="Beta2"/>, <see cref="Epsilon"/>) or plain SGD.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Adam β₁ (first-moment decay).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β₂ (second-moment decay).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam ε added to √v̂.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient by the optimizer (0 = none).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Rescale the gradient to this Euclidean norm when it is larger (null = no clipping).</summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>When training stops as diverged (non-finite losses and gradients always stop it).</summary>
    public DivergenceRule Divergence { get; init; } = DivergenceRule.NonFiniteOnly;

    /// <summary>
    /// Floating-point type of the model and of training (the float64 switch). The trainer converts the
    /// model's floating parameters and buffers to it; the loss closure should build its tensors in it too.
    /// </summary>
    public ScalarType DType { get; init; } = ScalarType.Float64;

    /// <summary>Device of the model and optimizer state (CPU is the tested default).</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>A checkpoint is written after every this many completed steps, and always at the end.</summary>
    public long CheckpointInterval { get; init; } = 1000;

    /// <summary>Newest checkpoints kept on disk (at least 2, so a corrupt newest one has a fallback).</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>Whether a cancelled run writes a checkpoint of its last completed step before it stops.</summary>
    public bool CheckpointOnCancel { get; init; } = true;

    /// <summary>The loss log records every step whose 0-based index is a multiple of this, and the last step.</summary>
    public long LogInterval { get; init; } = 1;

    /// <summary>
    /// The trainer's sanity check (<see cref="Trainer.SanityCheck"/>, e.g. a log-det check of a flow) runs after
    /// every this many completed steps (0 = only before each checkpoint, where it always runs).
    /// </summary>
    public long SanityCheckInterval { get; init; }

    /// <summary>
    /// A full garbage collection (with finalizers) runs after every this many steps (0 = never). TorchSharp
    /// releases some native memory only from finalizers (measured: the resident set grows ~15–25 KB per step
    /// of a small MLP with torch.optim.Adam while the live-tensor count stays flat; the project
    /// optimizers dispose their Scalars, other TorchSharp calls may still leave some to finalizers), and the managed heap is
    /// too small to trigger collections by itself, so without this the process grows without bound.
    /// </summary>
    public long GarbageCollectionInterval { get; init; } = 200;

    /// <summary>Every invalid setting, each naming the property, the value and what is allowed.</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        if (Steps < 1) p.Add($"TrainingOptions.Steps: value {Steps} is not allowed; must be >= 1");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
            p.Add($"TrainingOptions.LearningRate: value {F(LearningRate)} is not allowed; must be finite and > 0");
        if (!Enum.IsDefined(Schedule)) p.Add($"TrainingOptions.Schedule: value {Schedule} is not allowed; must be Constant or Cosine");
        if (!(FinalLearningRateFraction >= 0 && FinalLearningRateFraction <= 1))
            p.Add($"TrainingOptions.FinalLearningRateFraction: value {F(FinalLearningRateFraction)} is not allowed; must be in [0, 1]");
        if (WarmupSteps < 0) p.Add($"TrainingOptions.WarmupSteps: value {WarmupSteps} is not allowed; must be >= 0");
        if (!Enum.IsDefined(Optimizer)) p.Add($"TrainingOptions.Optimizer: value {Optimizer} is not allowed; must be Adam or Sgd");
        if (!(Beta1 >= 0 && Beta1 < 1)) p.Add($"TrainingOptions.Beta1: value {F(Beta1)} is not allowed; must be in [0, 1)");
        if (!(Beta2 >= 0 && Beta2 < 1)) p.Add($"TrainingOptions.Beta2: value {F(Beta2)} is not allowed; must be in [0, 1)");
        if (!(Epsilon >= 0 && double.IsFinite(Epsilon))) p.Add($"TrainingOptions.Epsilon: value {F(Epsilon)} is not allowed; must be finite and >= 0");
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay))) p.Add($"TrainingOptions.WeightDecay: value {F(WeightDecay)} is not allowed; must be finite and >= 0");
        if (MaxGradientNorm is double g && !(g > 0 && double.IsFinite(g)))
            p.Add($"TrainingOptions.MaxGradientNorm: value {F(g)} is not allowed; must be finite and > 0 (or null)");
        if (Divergence is null) p.Add("TrainingOptions.Divergence: value null is not allowed; use DivergenceRule.NonFiniteOnly");
        else p.AddRange(Divergence.Problems().Select(x => "TrainingOptions." + x));
        if (DType is not (ScalarType.Float32 or ScalarType.Float64))
            p.Add($"TrainingOptions.DType: value {DType} is not allowed; must be Float32 or Float64");
        if (Device is null) p.Add("TrainingOptions.Device: value null is not allowed");
        if (CheckpointInterval < 1) p.Add($"TrainingOptions.CheckpointInterval: value {CheckpointInterval} is not allowed; must be >= 1");
        if (KeepCheckpoints < 2) p.Add($"TrainingOptions.KeepCheckpoints: value {KeepCheckpoints} is not allowed; must be >= 2");
        if (LogInterval < 1) p.Add($"TrainingOptions.LogInterval: value {LogInterval} is not allowed; must be >= 1");
        if (SanityCheckInterval < 0) p.Add($"TrainingOptions.SanityCheckInterval: value {SanityCheckInterval} is not allowed; must be >= 0");
        if (GarbageCollectionInterval < 0) p.Add($"TrainingOptions.GarbageCollectionInterval: value {GarbageCollectionInterval} is not allowed; must be >= 0");
        return p;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException("Invalid training options: " + string.Join("; ", problems) + ".");
    }

    /// <summary>The learning rate of 0-based step <paramref name="step"/>.</summary>
    public double LearningRateAt(long step)
    {
        double rate = LearningRateSchedules.At(Schedule, LearningRate, FinalLearningRateFraction, step, Steps);
        return WarmupSteps > 0 && step < WarmupSteps ? rate * (step + 1) / WarmupSteps : rate;
    }

    /// <summary>
    /// The settings that change the numbers a run produces, as (name, canonical value) pairs. A checkpoint
    /// records them; resuming with different values would not reproduce an uninterrupted run and is refused.
    /// <see cref="Steps"/> enters only with a non-constant schedule (a constant-rate run may be extended).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> NumericsFingerprint()
    {
        static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        var list = new List<KeyValuePair<string, string>>
        {
            new("LearningRate", F(LearningRate)),
            new("Schedule", Schedule.ToString()),
            new("Beta1", F(Beta1)),
            new("Beta2", F(Beta2)),
            new("Epsilon", F(Epsilon)),
            new("WeightDecay", F(WeightDecay)),
            new("MaxGradientNorm", MaxGradientNorm is double g ? F(g) : "none"),
            new("Divergence", Divergence.Canonical()),
            new("DType", DType.ToString()),
            new("LogInterval", LogInterval.ToString(CultureInfo.InvariantCulture)),
        };
        // Adam runs keep the fingerprint they had before the optimizer became a choice, so their checkpoints still resume.
        if (Optimizer != OptimizerKind.Adam)
        {
            list.Add(new("Optimizer", Optimizer.ToString()));
        }
        if (WarmupSteps > 0) list.Add(new("WarmupSteps", WarmupSteps.ToString(CultureInfo.InvariantCulture)));
        if (Schedule != LearningRateSchedule.Constant)
        {
            list.Add(new("Steps", Steps.ToString(CultureInfo.InvariantCulture)));
            list.Add(new("FinalLearningRateFraction", F(FinalLearningRateFraction)));
        }
        return list;
    }
}
