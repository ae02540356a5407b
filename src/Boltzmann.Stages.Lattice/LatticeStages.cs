using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Lattice.Figures;
using Boltzmann.Stages.Lattice.Phi4;
using Boltzmann.Stages.Lattice.U1;

namespace Boltzmann.Stages.Lattice;

/// <summary>The lattice field theory stage kinds: phi^4 and U(1) HMC, the phi^4 free energy, and their figures.</summary>
public static class LatticeStages
{
    public static StageRegistry Register(StageRegistry registry) => registry
        .Add(new Phi4HmcStage())
        .Add(new Phi4FreeEnergyStage())
        .Add(new U1HmcStage())
        .Add(new Phi4FiguresStage())
        .Add(new U1FiguresStage());
}
