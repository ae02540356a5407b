namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Where a stage sits in the project's DAG of build targets: Generate (Monte Carlo data) -> Train
/// (neural samplers) -> Evaluate (estimators) -> Figures (figure data and pictures). The build
/// targets of the same names run every stage up to and including that phase.
/// </summary>
public enum StagePhase
{
    Generate = 0,
    Train = 1,
    Evaluate = 2,
    Figures = 3,
}
