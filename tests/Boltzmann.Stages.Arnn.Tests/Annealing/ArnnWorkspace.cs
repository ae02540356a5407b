using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk;

namespace Boltzmann.Stages.Arnn.Tests.Annealing;

/// <summary>The shared pipeline workspace with the plain and ARNN stage kinds, on the CPU.</summary>
internal sealed class ArnnWorkspace() : PipelineWorkspace(Registry, "default", new RunOptions(Device: "cpu"), "boltz-arnn-")
{
    public static StageRegistry Registry() => ArnnStages.Register(SkStages.Register(new StageRegistry()));
}
