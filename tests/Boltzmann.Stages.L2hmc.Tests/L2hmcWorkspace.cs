using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.L2hmc.Tests;

/// <summary>The shared pipeline workspace with the L2HMC stage kinds registered, default profile.</summary>
public sealed class L2hmcWorkspace() : PipelineWorkspace(Registry, "default", prefix: "boltz-l2hmc-")
{
    public static StageRegistry Registry() => L2hmcStages.Register(new StageRegistry());
}
