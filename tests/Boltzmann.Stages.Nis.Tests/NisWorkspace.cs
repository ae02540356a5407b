using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Lattice;

namespace Boltzmann.Stages.Nis.Tests;

/// <summary>The shared pipeline workspace with the lattice and NIS stage kinds registered, default profile.</summary>
public sealed class NisWorkspace() : PipelineWorkspace(Registry, "default", prefix: "boltz-nis-")
{
    public static StageRegistry Registry() => NisStages.Register(LatticeStages.Register(new StageRegistry()));
}
