using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Arnn.Ising;

namespace Boltzmann.Stages.Arnn;

/// <summary>
/// Registers the 2D Ising NIS stage kinds (Nicoli et al. PRE 2020 with the networks of VAN, Wu, Wang &amp; Zhang 2019):
/// <c>ising-van-train</c>, <c>ising-nis-evaluate</c> and <c>ising-nis-figures</c>.
/// </summary>
public static class IsingNisStageSet
{
    public static StageRegistry Register(StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new IsingVanTrainStage()).Add(new IsingNisEvaluateStage()).Add(new IsingNisFiguresStage());
    }
}
