using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.SkFlow;

/// <summary>Registers the training stage kinds.</summary>
public static class TrainingStageSet
{
    public static StageRegistry Register(StageRegistry registry) => registry;
}
