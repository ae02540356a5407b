namespace Boltzmann.Estimators;

/// <summary>
/// The complete state of an <see cref="IndependenceMetropolis"/> chain, for checkpoints: restoring it with
/// <see cref="IndependenceMetropolis.FromState"/> and feeding the same proposals continues the chain bit for bit.
/// <paramref name="Proposals"/> = 0 means the chain has no state yet (the next proposal initialises it).
/// <paramref name="CurrentIndex"/> is the global proposal number (0-based, counted over all batches) of the
/// current state. The arrays are copies.
/// </summary>
public sealed record IndependenceMetropolisState(
    ulong[] RandomState,
    int ObservableCount,
    long Proposals,
    long Accepted,
    long CurrentIndex,
    double CurrentLogWeight,
    double[] CurrentObservables);
