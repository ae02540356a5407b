using Boltzmann.Pipelines.Engine;
using Boltzmann.Pipelines.Stages.Sk;

namespace Boltzmann.Pipelines.Stages;

/// <summary>Every plain-C# stage kind (no TorchSharp). Learning stage kinds are added by the CLI's catalog.</summary>
public static class PlainStages
{
    public static StageRegistry Register(StageRegistry registry) => registry
        .Add(new SkInstancesStage())
        .Add(new SkExactStage())
        .Add(new SkParallelTemperingStage())
        .Add(new SkPtObservablesStage())
        .Add(new SkPtFiguresStage());
}
