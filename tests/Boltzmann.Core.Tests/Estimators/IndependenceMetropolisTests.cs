using Boltzmann.Estimators;
using Boltzmann.Random;

namespace Boltzmann.Core.Tests.Estimators;

public class IndependenceMetropolisTests
{
    [Fact]
    public void QEqualToPAcceptsEveryProposal()
    {
        var t = new DiscreteTable(seed: 31, qEqualsP: true);
        var (lt, lq, obs, _) = t.DrawFromQ(5000, seed: 6);
        var chain = new NeuralMcmcChain(new RandomStream(1), observableCount: 2);
        chain.Feed(lt, lq, obs);
        var summary = chain.Summarize();
        Assert.Equal(1.0, summary.AcceptanceRate.Mean);
        Assert.Equal(0.0, summary.AcceptanceRate.StdError);
        Assert.Equal(4999, summary.Transitions);
        Assert.Equal(4999, summary.Accepted);
        for (int i = 0; i < 5000; i++) Assert.Equal(i, chain.ChainIndices[i]);
        // Every proposal accepted: the chain is the independent sample itself.
        Assert.True(summary.Observables[0].Deviation(t.ExactMean(t.Energy)) < 4, summary.Observables[0].ToString());
        Assert.InRange(summary.Observables[0].TauInt, 0.5, 0.7);
    }

    [Fact]
    public void ChainReproducesExactMeansAndAcceptanceOfADiscreteTarget()
    {
        var t = new DiscreteTable(seed: 7);
        var (lt, lq, obs, _) = t.DrawFromQ(100_000, seed: 11);
        var chain = new NeuralMcmcChain(RandomStreams.For(20261123, "nmcmc-test"), observableCount: 2);
        chain.Feed(lt, lq, obs);
        var s = chain.Summarize(burnIn: 100);
        double exactE = t.ExactMean(t.Energy), exactM2 = t.ExactMean(t.MagnetizationSquared), exactAcc = t.ExactAcceptance;
        Assert.True(s.Observables[0].Deviation(exactE) < 4, $"E = {s.Observables[0]}, exact {exactE}");
        Assert.True(s.Observables[1].Deviation(exactM2) < 4, $"m^2 = {s.Observables[1]}, exact {exactM2}");
        Assert.True(s.AcceptanceRate.Deviation(exactAcc) < 4, $"acceptance {s.AcceptanceRate}, exact {exactAcc}");
        // Rejections repeat states: tau_int clearly above 1/2, and the acceptance rate clearly below 1.
        Assert.InRange(exactAcc, 0.3, 0.95);
        Assert.True(s.Observables[0].TauInt > 0.7, s.Observables[0].ToString());
        Assert.Equal(s.Transitions, chain.Sampler.Transitions - 99);
    }

    [Fact]
    public void ErrorsOfChainMeansAreCalibratedOverIndependentChains()
    {
        var t = new DiscreteTable(seed: 7);
        double exactE = t.ExactMean(t.Energy);
        const int chains = 40;
        double chi2 = 0;
        for (int c = 0; c < chains; c++)
        {
            var (lt, lq, obs, _) = t.DrawFromQ(10_000, seed: 500 + (ulong)c);
            var chain = new NeuralMcmcChain(RandomStreams.For(1, "calibration", chain: c), observableCount: 2);
            chain.Feed(lt, lq, obs);
            var e = chain.Summarize(burnIn: 50).Observables[0];
            chi2 += (e.Mean - exactE) * (e.Mean - exactE) / (e.StdError * e.StdError);
        }
        // 40 dof: sd of chi^2/dof is 0.22, so [0.2, 1.9] is a ~4-sigma band.
        Assert.InRange(chi2 / chains, 0.2, 1.9);
    }

    [Fact]
    public void GaussianChainReproducesTargetMean()
    {
        // Continuous target: q = N(0.5, 1.5^2), p = N(-0.2, 1); neural MCMC is exact for any covering q.
        var g = GaussianCase.OneD(0.5, 1.5, -0.2, 1.0, logC: 3.0);
        var s = g.SampleQ(50_000, seed: 13);
        var chain = new NeuralMcmcChain(new RandomStream(99), observableCount: 1);
        chain.Feed(s.LogTarget, s.LogQ, s.X0);
        var summary = chain.Summarize(burnIn: 100);
        Assert.True(summary.Observables[0].Deviation(-0.2) < 4, summary.Observables[0].ToString());
        Assert.InRange(summary.AcceptanceRate.Mean, 0.4, 0.95);
    }

    [Fact]
    public void BatchesAndCheckpointsGiveTheSameChainAsOneBatch()
    {
        var t = new DiscreteTable(seed: 7);
        var (lt, lq, obs, _) = t.DrawFromQ(3000, seed: 14);

        var whole = new IndependenceMetropolis(new RandomStream(5), observableCount: 2);
        var wholeChain = new long[3000];
        var wholeObs = new double[6000];
        whole.Advance(lt, lq, obs, wholeChain, wholeObs, Span<bool>.Empty);

        var parts = new IndependenceMetropolis(new RandomStream(5), observableCount: 2);
        var partChain = new long[3000];
        var partObs = new double[6000];
        int[] cuts = [0, 1, 700, 2999, 3000];
        for (int b = 0; b + 1 < cuts.Length; b++)
        {
            int from = cuts[b], to = cuts[b + 1];
            parts.Advance(lt.AsSpan(from, to - from), lq.AsSpan(from, to - from), obs.AsSpan(2 * from, 2 * (to - from)),
                partChain.AsSpan(from, to - from), partObs.AsSpan(2 * from, 2 * (to - from)), Span<bool>.Empty);
            parts = IndependenceMetropolis.FromState(parts.GetState()); // checkpoint and restore between batches
        }
        Assert.Equal(wholeChain, partChain);
        Assert.Equal(wholeObs, partObs);
        Assert.Equal(whole.Accepted, parts.Accepted);
        Assert.Equal(whole.CurrentIndex, parts.CurrentIndex);
        Assert.Equal(3000, parts.Proposals);
        Assert.Equal(2999, parts.Transitions);
        // The chain's observables are those of the state it points to.
        for (int i = 0; i < 3000; i++) Assert.Equal(obs[2 * wholeChain[i]], wholeObs[2 * i]);
    }

    [Fact]
    public void FirstProposalInitialisesAndZeroWeightStatesAreLeft()
    {
        var m = new IndependenceMetropolis(new RandomStream(2));
        var chain = new long[3];
        var moved = new bool[3];
        // Proposal 0 has p~ = 0: it initialises the chain, which must move to proposal 1 whatever its weight.
        int accepted = m.Advance([double.NegativeInfinity, -50.0, double.NegativeInfinity], [0.0, 0.0, 0.0], chain, moved);
        Assert.Equal([0L, 1L, 1L], chain);
        Assert.Equal([true, true, false], moved);
        Assert.Equal(1, accepted);
        Assert.Equal(2, m.Transitions);
        Assert.Equal(0.5, m.AcceptanceRate);
    }

    [Fact]
    public void RejectsBadInputAndInconsistentState()
    {
        var m = new IndependenceMetropolis(new RandomStream(2), observableCount: 2);
        var ex = Assert.Throws<ArgumentException>(() => m.Advance([0.0], [0.0], [1.0], Span<long>.Empty, Span<double>.Empty, Span<bool>.Empty));
        Assert.Contains("need 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => m.Advance([0.0], [0.0], [1.0, double.NaN], Span<long>.Empty, Span<double>.Empty, Span<bool>.Empty));
        Assert.Contains("observable 1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => m.Advance([0.0], [0.0], [1.0, 2.0], new long[2], Span<double>.Empty, Span<bool>.Empty));
        Assert.Contains("chain has 2 entries", ex.Message);
        Assert.Throws<InvalidOperationException>(() => m.Advance([0.0], [0.0], new long[1]));
        var bad = m.GetState() with { Accepted = 5 };
        ex = Assert.Throws<ArgumentException>(() => IndependenceMetropolis.FromState(bad));
        Assert.Contains("inconsistent", ex.Message);
        var recorder = new NeuralMcmcChain(new RandomStream(3));
        recorder.Feed([0.0, 0.0], [0.0, 0.0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Summarize(burnIn: 1));
    }
}
