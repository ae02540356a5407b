using Boltzmann.Physics.Actions;
using Boltzmann.Random;

namespace Boltzmann.MonteCarlo.Hmc;

/// <summary>
/// Many independent HMC chains advanced in parallel over threads. Chain c draws from its own stream
/// <see cref="RandomStreams.For"/>(seed, stage, 0, c), so results do not depend on the number of threads or on the
/// order in which chains are scheduled; each chain owns its action instance (actions with scratch buffers are
/// not shared between threads).
/// </summary>
public sealed class HmcEnsemble<TAction> where TAction : IContinuousAction
{
    private readonly HmcChain<TAction>[] _chains;

    public HmcEnsemble(IEnumerable<HmcChain<TAction>> chains, int maxDegreeOfParallelism = -1)
    {
        _chains = chains.ToArray();
        if (_chains.Length == 0) throw new ArgumentException("An ensemble needs at least one chain.", nameof(chains));
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>Fresh chains c = 0..count-1 started from <paramref name="initial"/>(c) with streams (seed, stage, 0, c).</summary>
    public static HmcEnsemble<TAction> Create(Func<long, TAction> actionFor, HmcOptions options, ulong seed, string stage,
        int count, Func<long, double[]> initial, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(actionFor);
        ArgumentNullException.ThrowIfNull(initial);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "chains must be >= 1.");
        var chains = new HmcChain<TAction>[count];
        for (int c = 0; c < count; c++)
            chains[c] = new HmcChain<TAction>(actionFor(c), options, RandomStreams.For(seed, stage, 0, c), initial(c), c);
        return new HmcEnsemble<TAction>(chains, maxDegreeOfParallelism);
    }

    public int MaxDegreeOfParallelism { get; }

    public IReadOnlyList<HmcChain<TAction>> Chains => _chains;

    /// <summary>
    /// Advances every chain by <paramref name="trajectories"/> trajectories in parallel. <paramref name="observe"/>
    /// (chain index, chain, trajectory) runs on the chain's worker thread right after each trajectory; it must only
    /// touch per-chain data.
    /// </summary>
    public void Run(int trajectories, Action<int, HmcChain<TAction>, HmcTrajectory>? observe = null, CancellationToken ct = default)
    {
        if (trajectories < 0) throw new ArgumentOutOfRangeException(nameof(trajectories));
        var po = new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism, CancellationToken = ct };
        Parallel.For(0, _chains.Length, po, c =>
        {
            var chain = _chains[c];
            for (int k = 0; k < trajectories; k++)
            {
                ct.ThrowIfCancellationRequested();
                var t = chain.Step();
                observe?.Invoke(c, chain, t);
            }
        });
    }

    /// <summary>States of all chains, for a checkpoint.</summary>
    public HmcChainState[] SaveStates() => _chains.Select(c => c.SaveState()).ToArray();
}
