using Boltzmann.Pipelines.Engine;
using Boltzmann.Pipelines.Stages;

namespace Boltzmann.Cli;

/// <summary>The stage kinds this build knows: plain-C# stages plus (later) the learning stages.</summary>
public static class StageCatalog
{
    public static StageRegistry CreateRegistry() => PlainStages.Register(new StageRegistry());
}
