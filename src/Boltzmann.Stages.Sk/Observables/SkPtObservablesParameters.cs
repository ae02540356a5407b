namespace Boltzmann.Stages.Sk.Observables;

/// <summary>Parameters of <see cref="SkPtObservablesStage"/>: jackknife/binning blocks for errors.</summary>
public sealed record SkPtObservablesParameters(int Blocks);
