using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.SkFlow.Training;

namespace Boltzmann.Stages.SkFlow;

/// <summary>Registers the training stage kinds: <c>sk-flow-train</c> (<see cref="SkFlowTrainStage"/>).</summary>
public static class TrainingStageSet
{
    public static StageRegistry Register(StageRegistry registry) => registry.Add(new SkFlowTrainStage());
}
