using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Lattice;

namespace Boltzmann.Stages.Lattice.Tests;

/// <summary>The shared pipeline workspace with the lattice stage kinds registered, default profile.</summary>
public sealed class LatticeWorkspace() : PipelineWorkspace(Registry, "default", prefix: "boltz-lattice-")
{
    public static StageRegistry Registry() => LatticeStages.Register(new StageRegistry());
}
