using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.L2hmc.Evaluation;
using Boltzmann.Stages.L2hmc.Figures;
using Boltzmann.Stages.L2hmc.Training;

namespace Boltzmann.Stages.L2hmc;

/// <summary>The deep-learning HMC stage kinds (Foreman, Jin &amp; Osborn 2021): train, evaluate against HMC, figures.</summary>
public static class L2hmcStages
{
    public static StageRegistry Register(StageRegistry registry) => registry
        .Add(new L2hmcTrainStage())
        .Add(new L2hmcEvaluateStage())
        .Add(new L2hmcFiguresStage());
}
