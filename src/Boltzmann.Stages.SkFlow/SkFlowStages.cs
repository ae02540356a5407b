using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.SkFlow;

/// <summary>The stage kinds of the <c>sk-flow</c> pipeline (Hartnett &amp; Mohseni): RealNVP training
/// (<see cref="TrainingStageSet"/>), evaluation and figures (<see cref="EvaluationStageSet"/>).</summary>
public static class SkFlowStages
{
    public static StageRegistry Register(StageRegistry registry) => EvaluationStageSet.Register(TrainingStageSet.Register(registry));
}
