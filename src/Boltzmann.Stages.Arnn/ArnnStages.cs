using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Arnn;

/// <summary>The stage kinds of the <c>cw-arnn</c> and <c>sk-arnn</c> pipelines (Biazzo): annealing, max likelihood, evaluation, figures.</summary>
public static class ArnnStages
{
    public static StageRegistry Register(StageRegistry registry) => registry;
}
