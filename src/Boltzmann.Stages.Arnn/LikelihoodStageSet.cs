using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Arnn;

/// <summary>Registers the likelihood stage kinds.</summary>
public static class LikelihoodStageSet
{
    public static StageRegistry Register(StageRegistry registry) => registry;
}
