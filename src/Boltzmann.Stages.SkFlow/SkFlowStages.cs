using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.SkFlow;

/// <summary>The stage kinds of the <c>sk-flow</c> pipeline (Hartnett &amp; Mohseni): RealNVP training, evaluation, figures.</summary>
public static class SkFlowStages
{
    public static StageRegistry Register(StageRegistry registry) => registry;
}
