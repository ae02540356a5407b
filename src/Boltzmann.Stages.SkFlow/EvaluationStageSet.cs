using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.SkFlow.Evaluation;
using Boltzmann.Stages.SkFlow.Figures;

namespace Boltzmann.Stages.SkFlow;

/// <summary>Registers the evaluation stage kinds: <c>sk-flow-evaluate</c> and <c>sk-flow-figures</c>.</summary>
public static class EvaluationStageSet
{
    public static StageRegistry Register(StageRegistry registry) => registry
        .Add(new SkFlowEvaluateStage())
        .Add(new SkFlowFiguresStage());
}
