using Boltzmann.Random;

namespace Boltzmann.Estimators;

/// <summary>
/// Neural MCMC: an independence Metropolis sampler whose proposals are independent samples of the model q
/// (Nicoli et al., PRE 101, 023304 (2020), NMCMC). A proposal x' replaces the current state x with probability
/// A(x', x) = min(1, q(x) p~(x') / (q(x') p~(x))) = min(1, w~(x') / w~(x)), which satisfies detailed balance with
/// respect to p (Nicoli 2024 talk, "Neural Markov chain Monte-Carlo"), so the chain samples p exactly however
/// poor q is; q only sets the acceptance rate and the autocorrelation. If q = p every proposal is accepted.
/// <para>
/// Streaming: proposals arrive in batches (<see cref="Advance"/>); all state is explicit
/// (<see cref="GetState"/>/<see cref="FromState"/>). Proposals are numbered globally from 0 across batches.
/// The first proposal ever fed initialises the chain and is not a transition (it enters no acceptance count).
/// Exactly one uniform number is drawn per proposal (including the first), so the random stream's position
/// is always the number of proposals fed. While the current state has zero weight (ln p~ = -inf), every
/// proposal is accepted. Observables are optional: k values per proposal, row-major (proposal i, observable j
/// at i*k + j); the chain carries the current state's values, so a state accepted in an earlier batch needs
/// no look-up.
/// </para>
/// Use <see cref="NeuralMcmcChain"/> to record the chain and get observables with tau_int errors.
/// </summary>
public sealed class IndependenceMetropolis
{
    private RandomStream _rng;
    private readonly double[] _current;
    private long _proposals;
    private long _accepted;
    private long _currentIndex = -1;
    private double _currentLogWeight = double.NaN;

    public IndependenceMetropolis(RandomStream rng, int observableCount = 0)
    {
        if (observableCount < 0)
            throw new ArgumentOutOfRangeException(nameof(observableCount), observableCount, "The number of observables must be >= 0.");
        _rng = rng;
        _current = new double[observableCount];
    }

    /// <summary>Number of observables carried per state.</summary>
    public int ObservableCount => _current.Length;

    /// <summary>Proposals fed so far (the first one initialised the chain).</summary>
    public long Proposals => _proposals;

    /// <summary>Metropolis transitions so far: every proposal after the first.</summary>
    public long Transitions => Math.Max(0, _proposals - 1);

    /// <summary>Accepted transitions (the initialisation is not counted).</summary>
    public long Accepted => _accepted;

    /// <summary>Accepted / Transitions (NaN before the first transition). For its error use <see cref="NeuralMcmcChain"/>.</summary>
    public double AcceptanceRate => Transitions > 0 ? (double)_accepted / Transitions : double.NaN;

    /// <summary>Global proposal number of the current state (-1 before the first proposal).</summary>
    public long CurrentIndex => _currentIndex;

    /// <summary>ln w~ = ln p~ - ln q of the current state (NaN before the first proposal).</summary>
    public double CurrentLogWeight => _currentLogWeight;

    /// <summary>Observable values of the current state.</summary>
    public ReadOnlySpan<double> CurrentObservables => _current;

    /// <summary>
    /// Feeds a batch of n proposals x_i ~ q given ln p~(x_i), ln q(x_i) and (if ObservableCount = k &gt; 0) their
    /// observables (n*k values, row-major). For each proposal writes, if the span is not empty: the global index
    /// of the chain's state after that step into <paramref name="chain"/> (n), its observables into
    /// <paramref name="chainObservables"/> (n*k), and whether the chain moved to that proposal into
    /// <paramref name="moved"/> (n; the initialising first proposal counts as moved). Returns the number of
    /// accepted transitions in this batch.
    /// </summary>
    public int Advance(
        ReadOnlySpan<double> logTarget,
        ReadOnlySpan<double> logQ,
        ReadOnlySpan<double> observables,
        Span<long> chain,
        Span<double> chainObservables,
        Span<bool> moved)
    {
        SampleValidation.ModelSamples(logTarget, logQ, minimum: 1);
        int n = logQ.Length;
        int k = _current.Length;
        if (observables.Length != n * k)
            throw new ArgumentException($"observables has {observables.Length} entries; {n} proposals x {k} observables need {n * k} (row-major).", nameof(observables));
        for (int i = 0; i < observables.Length; i++)
            if (!double.IsFinite(observables[i]))
                throw new ArgumentException($"observables[{i}] (proposal {i / Math.Max(1, k)}, observable {i % Math.Max(1, k)}) = {observables[i]}: values must be finite.", nameof(observables));
        CheckOutput(chain.Length, n, nameof(chain));
        CheckOutput(chainObservables.Length, n * k, nameof(chainObservables));
        CheckOutput(moved.Length, n, nameof(moved));

        int acceptedHere = 0;
        for (int i = 0; i < n; i++)
        {
            double lw = logTarget[i] - logQ[i];
            double u = _rng.NextDouble();
            bool accept;
            if (_proposals == 0 || double.IsNegativeInfinity(_currentLogWeight))
            {
                accept = true;
                if (_proposals > 0) { _accepted++; acceptedHere++; }
            }
            else
            {
                // min(1, w'/w) compared with u in [0, 1): delta >= 0 always accepts.
                double delta = lw - _currentLogWeight;
                accept = u < Math.Exp(Math.Min(0.0, delta));
                if (accept) { _accepted++; acceptedHere++; }
            }
            if (accept)
            {
                _currentIndex = _proposals;
                _currentLogWeight = lw;
                if (k > 0) observables.Slice(i * k, k).CopyTo(_current);
            }
            if (!chain.IsEmpty) chain[i] = _currentIndex;
            if (!chainObservables.IsEmpty && k > 0) _current.AsSpan().CopyTo(chainObservables.Slice(i * k, k));
            if (!moved.IsEmpty) moved[i] = accept;
            _proposals++;
        }
        return acceptedHere;
    }

    /// <summary>Feeds a batch without observables (ObservableCount must be 0), writing the chain's indices.</summary>
    public int Advance(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logQ, Span<long> chain, Span<bool> moved = default)
    {
        if (_current.Length != 0)
            throw new InvalidOperationException($"This chain carries {_current.Length} observables: pass their values to Advance.");
        return Advance(logTarget, logQ, ReadOnlySpan<double>.Empty, chain, Span<double>.Empty, moved);
    }

    /// <summary>A copy of the full state (random stream included), for checkpoints.</summary>
    public IndependenceMetropolisState GetState() =>
        new(_rng.GetState(), _current.Length, _proposals, _accepted, _currentIndex, _currentLogWeight, (double[])_current.Clone());

    /// <summary>Restores a chain saved with <see cref="GetState"/>.</summary>
    public static IndependenceMetropolis FromState(IndependenceMetropolisState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.CurrentObservables is null || state.CurrentObservables.Length != state.ObservableCount)
            throw new ArgumentException($"State has ObservableCount {state.ObservableCount} but {state.CurrentObservables?.Length ?? 0} current observable values.", nameof(state));
        if (state.Proposals < 0 || state.Accepted < 0 || state.Accepted > Math.Max(0, state.Proposals - 1))
            throw new ArgumentException($"State counts are inconsistent: {state.Accepted} accepted of {state.Proposals} proposals.", nameof(state));
        if (state.Proposals > 0 && (state.CurrentIndex < 0 || state.CurrentIndex >= state.Proposals))
            throw new ArgumentException($"State CurrentIndex {state.CurrentIndex} is outside [0, {state.Proposals}).", nameof(state));
        var sampler = new IndependenceMetropolis(RandomStream.FromState(state.RandomState), state.ObservableCount)
        {
            _proposals = state.Proposals,
            _accepted = state.Accepted,
            _currentIndex = state.Proposals > 0 ? state.CurrentIndex : -1,
            _currentLogWeight = state.Proposals > 0 ? state.CurrentLogWeight : double.NaN,
        };
        state.CurrentObservables.CopyTo(sampler._current, 0);
        return sampler;
    }

    private static void CheckOutput(int length, int expected, string name)
    {
        if (length != 0 && length != expected)
            throw new ArgumentException($"{name} has {length} entries; it must have {expected} (or be empty to skip this output).", name);
    }
}
