using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Arnn.Likelihood;

namespace Boltzmann.Stages.Arnn;

/// <summary>
/// Registers the likelihood stage kinds (Biazzo 2023, Fig. 6): <c>arnn-likelihood</c> (max-likelihood training of an
/// SK network with a learned first layer on <c>sk-pt</c> samples) and <c>arnn-likelihood-figures</c> (figure biazzo-fig6).
/// </summary>
public static class LikelihoodStageSet
{
    public static StageRegistry Register(StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new ArnnLikelihoodStage()).Add(new ArnnLikelihoodFiguresStage());
    }
}
