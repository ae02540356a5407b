using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Arnn;

/// <summary>The stage kinds of the <c>cw-arnn</c> and <c>sk-arnn</c> pipelines (Biazzo): variational annealing,
/// evaluation and figures (<see cref="AnnealingStageSet"/>), max-likelihood training on Metropolis samples
/// (<see cref="LikelihoodStageSet"/>); and the 2D Ising NIS stages (<see cref="IsingNisStageSet"/>).</summary>
public static class ArnnStages
{
    public static StageRegistry Register(StageRegistry registry) =>
        IsingNisStageSet.Register(LikelihoodStageSet.Register(AnnealingStageSet.Register(registry)));
}
