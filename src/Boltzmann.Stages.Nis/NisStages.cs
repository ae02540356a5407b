using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Nis.Evaluation;
using Boltzmann.Stages.Nis.Figures;
using Boltzmann.Stages.Nis.Gradients;
using Boltzmann.Stages.Nis.Training;

namespace Boltzmann.Stages.Nis;

/// <summary>Neural importance sampling for lattice phi^4 (Nicoli et al.): flow training, NIS evaluation, the path-vs-total study, figures.</summary>
public static class NisStages
{
    public static StageRegistry Register(StageRegistry registry) => registry
        .Add(new Phi4NisTrainStage())
        .Add(new Phi4NisEvaluateStage())
        .Add(new Phi4NisGradientsStage())
        .Add(new Phi4NisFiguresStage());
}
