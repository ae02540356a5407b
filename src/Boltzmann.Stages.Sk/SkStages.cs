using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Exact;
using Boltzmann.Stages.Sk.Figures;
using Boltzmann.Stages.Sk.Instances;
using Boltzmann.Stages.Sk.Observables;
using Boltzmann.Stages.Sk.Pt;

namespace Boltzmann.Stages.Sk;

/// <summary>
/// The stage kinds of the <c>sk-pt</c> pipeline (plain C#, no TorchSharp): SK disorder instances, exact
/// enumeration, parallel tempering, its estimators and its figures. The learning pipelines reuse the
/// instances, the PT dataset and its reader (<see cref="PtDataset"/>) from here.
/// </summary>
public static class SkStages
{
    public static StageRegistry Register(StageRegistry registry) => registry
        .Add(new SkInstancesStage())
        .Add(new SkExactStage())
        .Add(new SkParallelTemperingStage())
        .Add(new SkPtObservablesStage())
        .Add(new SkPtFiguresStage());
}
