using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Arnn.Annealing;

namespace Boltzmann.Stages.Arnn;

/// <summary>Registers the annealing stage kinds: <c>arnn-anneal</c> (variational annealing and evaluation) and
/// <c>arnn-figures</c> (Biazzo Figs. 4 and 5).</summary>
public static class AnnealingStageSet
{
    public static StageRegistry Register(StageRegistry registry) => registry.Add(new ArnnAnnealStage()).Add(new ArnnFiguresStage());
}
