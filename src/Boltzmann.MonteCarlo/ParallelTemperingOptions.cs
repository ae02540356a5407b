namespace Boltzmann.MonteCarlo;

/// <summary>How the sweep work is spread over threads. It never changes the results, only the speed.</summary>
public enum ParallelScheme
{
    /// <summary>Whole chains per thread when the chains balance the threads, else walkers per thread.</summary>
    Auto,
    /// <summary>One task per chain; a chain runs all requested sweeps (and its exchanges) without synchronisation.</summary>
    ByChain,
    /// <summary>One task per walker and sweep, then the exchanges of every chain on the calling thread.</summary>
    ByWalker,
}

/// <summary>
/// Immutable settings of <see cref="ParallelTempering"/>. Everything that changes the Markov chain
/// (ladder, chains, seed, stage name, refresh interval) is recorded in checkpoints and checked on
/// restore; <see cref="MaxDegreeOfParallelism"/> and <see cref="Scheme"/> only change the speed.
/// </summary>
/// <param name="Ladder">Temperatures; every chain has one walker per temperature.</param>
public sealed record ParallelTemperingOptions(TemperatureLadder Ladder)
{
    private readonly int _chains = 2;
    private readonly int _refresh = 100;
    private readonly string _stageName = "parallel-tempering";
    private readonly int _maxDop = -1;

    /// <summary>
    /// Independent chains C (each a full ladder with its own random streams). Default 2, so the overlap
    /// q between independent replicas at the same temperature can be measured (docs/conventions.md, "Overlaps": never
    /// overlap a configuration with itself).
    /// </summary>
    public int Chains
    {
        get => _chains;
        init => _chains = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Chains), value, "ParallelTemperingOptions.Chains must be at least 1.");
    }

    /// <summary>Run seed from which every random stream is derived (see <see cref="Boltzmann.Random.RandomStreams"/>).</summary>
    public ulong Seed { get; init; }

    /// <summary>Stage identity used to derive the random streams: walker w of chain c uses (Seed, StageName, w, c).</summary>
    public string StageName
    {
        get => _stageName;
        init => _stageName = !string.IsNullOrEmpty(value) ? value : throw new ArgumentException("ParallelTemperingOptions.StageName must be a non-empty string.", nameof(StageName));
    }

    /// <summary>
    /// Every this many sweeps each walker recomputes its local fields and energy from scratch, which
    /// removes the rounding drift of the incremental updates. Default 100 (costs about 1% at N = 256).
    /// </summary>
    public int LocalFieldRefreshInterval
    {
        get => _refresh;
        init => _refresh = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(LocalFieldRefreshInterval), value, "ParallelTemperingOptions.LocalFieldRefreshInterval must be at least 1 sweep.");
    }

    /// <summary>Upper bound on threads; -1 (default) means all processors. Does not change results.</summary>
    public int MaxDegreeOfParallelism
    {
        get => _maxDop;
        init => _maxDop = value == -1 || value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), value, "ParallelTemperingOptions.MaxDegreeOfParallelism must be -1 (all processors) or at least 1.");
    }

    /// <summary>Work distribution; does not change results.</summary>
    public ParallelScheme Scheme { get; init; } = ParallelScheme.Auto;

    private readonly TemperatureLadder _ladder = Ladder ?? throw new ArgumentNullException(nameof(Ladder), "ParallelTemperingOptions needs a temperature ladder.");

    /// <summary>Temperatures; every chain has one walker per temperature.</summary>
    public TemperatureLadder Ladder
    {
        get => _ladder;
        init => _ladder = value ?? throw new ArgumentNullException(nameof(Ladder), "ParallelTemperingOptions needs a temperature ladder.");
    }
}
