using System.Buffers;
using System.Runtime.InteropServices;
using Boltzmann.Random;
using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Records an <see cref="IndependenceMetropolis"/> chain fed in batches: the chain's state indices, the
/// observable series along the chain and the acceptance indicators, and summarises them as
/// <see cref="Estimate"/>s with tau_int (the NMCMC estimator of Nicoli et al., PRE 101, 023304 (2020), whose
/// error needs tau_int because rejections repeat states: Nicoli 2024, ESS_MCMC = N / (2 tau_int)).
/// Memory grows with the chain (one long and k doubles per proposal); feed a fresh recorder with
/// <see cref="IndependenceMetropolis.FromState"/> to continue a checkpointed chain in a new segment.
/// </summary>
public sealed class NeuralMcmcChain
{
    private readonly List<long> _chain = [];
    private readonly List<double>[] _series;
    private readonly List<double> _acceptance = []; // one 0/1 entry per transition
    private readonly List<long> _acceptanceStep = []; // chain step (0-based in this recording) of each transition

    /// <summary>A new chain with its own random stream and k observables per proposal.</summary>
    public NeuralMcmcChain(RandomStream rng, int observableCount = 0) : this(new IndependenceMetropolis(rng, observableCount)) { }

    /// <summary>Records from an existing (e.g. restored) sampler onwards.</summary>
    public NeuralMcmcChain(IndependenceMetropolis sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        Sampler = sampler;
        _series = new List<double>[sampler.ObservableCount];
        for (int j = 0; j < _series.Length; j++) _series[j] = [];
    }

    public IndependenceMetropolis Sampler { get; }

    /// <summary>Chain steps recorded (one per proposal fed through this recorder).</summary>
    public int Length => _chain.Count;

    /// <summary>Global proposal index of the chain's state at every recorded step.</summary>
    public IReadOnlyList<long> ChainIndices => _chain;

    /// <summary>The recorded series of observable <paramref name="observable"/> along the chain.</summary>
    public ReadOnlySpan<double> Series(int observable)
    {
        if ((uint)observable >= (uint)_series.Length)
            throw new ArgumentOutOfRangeException(nameof(observable), observable, $"This chain has {_series.Length} observables.");
        return CollectionsMarshal.AsSpan(_series[observable]);
    }

    /// <summary>Feeds a batch of proposals (see <see cref="IndependenceMetropolis.Advance(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{long}, Span{double}, Span{bool})"/>).</summary>
    public void Feed(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, ReadOnlySpan<double> observables = default)
    {
        int n = logQ.Length;
        int k = Sampler.ObservableCount;
        long proposalsBefore = Sampler.Proposals;
        var chain = ArrayPool<long>.Shared.Rent(Math.Max(1, n));
        var moved = ArrayPool<bool>.Shared.Rent(Math.Max(1, n));
        var values = ArrayPool<double>.Shared.Rent(Math.Max(1, n * k));
        try
        {
            Sampler.Advance(logTarget, logQ, observables, chain.AsSpan(0, n), values.AsSpan(0, n * k), moved.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                if (proposalsBefore + i > 0)
                {
                    _acceptance.Add(moved[i] ? 1.0 : 0.0);
                    _acceptanceStep.Add(_chain.Count);
                }
                _chain.Add(chain[i]);
                for (int j = 0; j < k; j++) _series[j].Add(values[i * k + j]);
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(chain);
            ArrayPool<bool>.Shared.Return(moved);
            ArrayPool<double>.Shared.Return(values);
        }
    }

    /// <summary>
    /// Acceptance rate and observable means over the recorded chain after discarding the first
    /// <paramref name="burnIn"/> steps (transitions into those steps are discarded too).
    /// </summary>
    public NeuralMcmcSummary Summarize(int burnIn = 0)
    {
        if (burnIn < 0 || burnIn > _chain.Count - 2)
            throw new ArgumentOutOfRangeException(nameof(burnIn), burnIn, $"Burn-in must leave at least 2 of the {_chain.Count} recorded steps.");
        int first = _acceptanceStep.BinarySearch(burnIn);
        if (first < 0) first = ~first;
        var acc = CollectionsMarshal.AsSpan(_acceptance)[first..];
        if (acc.Length < 2)
            throw new InvalidOperationException($"Only {acc.Length} Metropolis transitions after burn-in {burnIn}: feed more proposals.");
        var acceptance = IntegratedAutocorrelation.Estimate(acc);
        long accepted = 0;
        foreach (double a in acc) accepted += (long)a;
        var observables = new Estimate[_series.Length];
        for (int j = 0; j < _series.Length; j++)
            observables[j] = IntegratedAutocorrelation.Estimate(CollectionsMarshal.AsSpan(_series[j])[burnIn..]);
        return new NeuralMcmcSummary(acceptance, observables, _chain.Count - burnIn, acc.Length, accepted, burnIn);
    }
}
