using Boltzmann.Flows.Lattice;
using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.Nis.Training;

/// <summary>
/// Parameters of <see cref="Phi4NisTrainStage"/>: the phi^4 target (L x T, lambda, one flow per kappa), the flow
/// architecture, the objective, and the optimisation (steps, batch, learning rate with cosine decay). Forward-KL
/// flows train on the upstream HMC configurations at the same kappa, augmented by phi -> -phi (an exact symmetry of
/// p) unless <c>augment_z2</c> is false, and only on the training half of the chains unless <c>hold_out</c> is false
/// (the evaluation's p-estimators use the other half, <see cref="HmcSplit"/>).
/// </summary>
public sealed record Phi4NisTrainParameters(
    int L, int T, double Lambda, double[] Kappas, string Objective, NisFlowArchitecture Flow,
    long Steps, int Batch, double LearningRate, long CheckpointInterval, bool AugmentZ2, bool HoldOut = true)
{
    public NisObjective Kind => NisObjectives.Parse(Objective);

    public static Phi4NisTrainParameters Read(ParameterReader r)
    {
        int l = r.Int("l", min: 2, max: 4096);
        int t = r.Int("t", min: 2, max: 4096);
        double lambda = r.Double("lambda", min: 0);
        var kappas = r.OptionalDoubleList("kappas", min: 0);
        if (kappas is null && !r.Has("kappas")) r.Error("kappas", "required key is missing; give the hopping parameters to train a flow at");
        if (kappas is not null && kappas.Distinct().Count() != kappas.Length) r.Error("kappas", "the kappa list contains duplicate values");
        string objective = r.String("objective", "reverse", NisObjectives.Names);
        var flow = NisFlowArchitecture.Read(r);
        if (LatticeShape.Problem(l, t, flow.Kernel) is string why) r.Error("l", $"the lattice flow cannot take this shape: {why}");
        long steps = r.Long("steps", 1000, min: 1);
        int batch = r.Int("batch", 256, min: 2);
        double lr = r.Double("learning_rate", 1e-3, greaterThan: 0);
        long checkpoint = r.Long("checkpoint_interval", 500, min: 1);
        bool augment = r.Bool("augment_z2", true);
        bool holdOut = r.Bool("hold_out", true);
        return new Phi4NisTrainParameters(l, t, lambda, kappas ?? [], objective, flow, steps, batch, lr, checkpoint, augment, holdOut);
    }
}
