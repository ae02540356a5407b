using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.NeuralRg.Evaluation;
using Boltzmann.Stages.NeuralRg.Figures;
using Boltzmann.Stages.NeuralRg.Training;

namespace Boltzmann.Stages.NeuralRg;

/// <summary>The stage kinds of the <c>neuralrg</c> pipeline (Li &amp; Wang 2018): training, evaluation and figures.</summary>
public static class NeuralRgStages
{
    public static StageRegistry Register(StageRegistry registry) => registry
        .Add(new NeuralRgTrainStage())
        .Add(new NeuralRgEvaluateStage())
        .Add(new NeuralRgFiguresStage());
}
