using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.NeuralRg.Tests;

/// <summary>The shared pipeline workspace with the NeuralRG stage kinds registered, default profile.</summary>
public sealed class NeuralRgWorkspace() : PipelineWorkspace(Registry, "default", prefix: "boltz-neuralrg-")
{
    public static StageRegistry Registry() => NeuralRgStages.Register(new StageRegistry());
}
