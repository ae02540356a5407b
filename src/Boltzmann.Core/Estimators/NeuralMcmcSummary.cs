using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Result of a neural MCMC chain (<see cref="NeuralMcmcChain.Summarize"/>): the acceptance rate and every
/// observable's mean over the chain, each an <see cref="Estimate"/> with tau_int from the Gamma method (Sokal
/// convention, 1/2 for independent samples). The acceptance rate's error is from the autocorrelation of the
/// 0/1 acceptance series, since successive acceptances of an independence sampler are correlated through the
/// current state. <paramref name="BurnIn"/> chain steps were discarded before either was formed;
/// <paramref name="Steps"/> chain steps remain, reached by <paramref name="Transitions"/> Metropolis transitions
/// (one fewer when the recording began with the chain's initialisation) of which <paramref name="Accepted"/>
/// were accepted.
/// </summary>
public sealed record NeuralMcmcSummary(
    Estimate AcceptanceRate,
    IReadOnlyList<Estimate> Observables,
    long Steps,
    long Transitions,
    long Accepted,
    long BurnIn);
