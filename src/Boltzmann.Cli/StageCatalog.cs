using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk;
using Boltzmann.Stages.Arnn;
using Boltzmann.Stages.L2hmc;
using Boltzmann.Stages.Lattice;
using Boltzmann.Stages.NeuralRg;
using Boltzmann.Stages.Nis;
using Boltzmann.Stages.SkFlow;

namespace Boltzmann.Cli;

/// <summary>The stage kinds this build knows: the SK stages (plain C#) plus the learning stages of each paper.</summary>
public static class StageCatalog
{
    public static StageRegistry CreateRegistry() =>
        NisStages.Register(
        NeuralRgStages.Register(
        L2hmcStages.Register(
        LatticeStages.Register(ArnnStages.Register(SkFlowStages.Register(SkStages.Register(new StageRegistry())))))));
}
