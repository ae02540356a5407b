using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.SkFlow;

/// <summary>Registers the evaluation stage kinds.</summary>
public static class EvaluationStageSet
{
    public static StageRegistry Register(StageRegistry registry) => registry;
}
