using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Arnn;

/// <summary>Registers the annealing stage kinds.</summary>
public static class AnnealingStageSet
{
    public static StageRegistry Register(StageRegistry registry) => registry;
}
