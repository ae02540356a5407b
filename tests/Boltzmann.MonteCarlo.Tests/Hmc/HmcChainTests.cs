using Boltzmann.MonteCarlo.Hmc;
using Boltzmann.Physics.Lattice;
using Boltzmann.Random;

namespace Boltzmann.MonteCarlo.Tests.Hmc;

public class HmcChainTests
{
    [Theory]
    [InlineData(HmcIntegrator.Leapfrog)]
    [InlineData(HmcIntegrator.Omelyan)]
    public void CheckpointRestoreContinuesBitForBit(HmcIntegrator integrator)
    {
        var lat = new Lattice2D(8, 8);
        var opts = new HmcOptions(0.5, 6, integrator, CompactAngles: true, AdaptStepSize: true, AdaptationTrajectories: 30);
        var reference = new HmcChain<U1WilsonAction>(new U1WilsonAction(lat, 2.0), opts, RandomStreams.For(1, "ckpt", 0, 3), new double[lat.LinkCount], 3);
        var resumedFrom = new HmcChain<U1WilsonAction>(new U1WilsonAction(lat, 2.0), opts, RandomStreams.For(1, "ckpt", 0, 3), new double[lat.LinkCount], 3);
        var expected = new List<HmcTrajectory>();
        for (int i = 0; i < 60; i++) expected.Add(reference.Step());

        for (int i = 0; i < 17; i++) resumedFrom.Step(); // stop in the middle of the adaptation window
        var bytes = resumedFrom.SaveState().ToBytes();
        var restored = new HmcChain<U1WilsonAction>(new U1WilsonAction(lat, 2.0), opts, HmcChainState.FromBytes(bytes));
        Assert.Equal(3, restored.Chain);
        for (int i = 17; i < 60; i++)
        {
            var t = restored.Step();
            Assert.Equal(expected[i], t);
        }
        Assert.True(reference.Positions.SequenceEqual(restored.Positions));
        Assert.Equal(reference.StepSize, restored.StepSize);
        Assert.Equal(reference.Accepted, restored.Accepted);
    }

    [Fact]
    public void StepSizeAdaptsDuringBurnInAndFreezesAfterwards()
    {
        var lat = new Lattice2D(16, 16);
        var opts = new HmcOptions(0.02, 10, HmcIntegrator.Leapfrog, AdaptStepSize: true, AdaptationTrajectories: 300, TargetAcceptance: 0.8);
        var chain = new HmcChain<Phi4Action>(new Phi4Action(lat, 0.25, 0.022), opts, new RandomStream(3), new double[lat.Volume]);
        for (int i = 0; i < 300; i++) chain.Step();
        Assert.False(chain.Adapting);
        double eps = chain.StepSize;
        Assert.True(eps > 0.05, $"adapted eps {eps} grew from 0.02");
        int accepted = 0;
        for (int i = 0; i < 1000; i++)
        {
            var t = chain.Step();
            Assert.Equal(eps, t.StepSize);
            if (t.Accepted) accepted++;
        }
        Assert.InRange(accepted / 1000.0, 0.7, 0.9);
    }

    [Fact]
    public void NonFiniteEnergyNamesChainAndTrajectory()
    {
        var lat = new Lattice2D(4, 4);
        // eps far beyond the leapfrog stability bound: phi^4 blows up to infinity within a trajectory.
        var chain = new HmcChain<Phi4Action>(new Phi4Action(lat, 0.2, 1.0), new HmcOptions(5.0, 50), new RandomStream(1), new double[lat.Volume], chain: 7);
        var ex = Assert.Throws<HmcDivergenceException>(() => { for (int i = 0; i < 10; i++) chain.Step(); });
        Assert.Equal(7, ex.Chain);
        Assert.Contains("chain 7", ex.Message);
        Assert.Contains("trajectory", ex.Message);
    }

    [Fact]
    public void DivergentTrajectoriesDuringAdaptationAreRejectedAndShrinkEps()
    {
        var lat = new Lattice2D(4, 4);
        var opts = new HmcOptions(5.0, 50, AdaptStepSize: true, AdaptationTrajectories: 200);
        var chain = new HmcChain<Phi4Action>(new Phi4Action(lat, 0.2, 1.0), opts, new RandomStream(1), new double[lat.Volume]);
        var first = chain.Step();
        Assert.False(first.Accepted);
        Assert.Equal(0, first.AcceptProbability);
        for (int i = 1; i < 200; i++) chain.Step();
        Assert.True(chain.StepSize < 1, $"eps adapted down to {chain.StepSize}");
        Assert.True(chain.Positions.ToArray().All(double.IsFinite));
    }

    [Theory]
    [InlineData(0.0, 10)]
    [InlineData(-0.1, 10)]
    [InlineData(0.1, 0)]
    public void RejectsInvalidOptions(double eps, int steps)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new HmcOptions(eps, steps).Validate());

    [Fact]
    public void EnsembleResultsDoNotDependOnThreads()
    {
        var lat = new Lattice2D(8, 4);
        double[] Run(int threads)
        {
            var e = HmcEnsemble<Phi4Action>.Create(_ => new Phi4Action(lat, 0.27, 0.022), new HmcOptions(0.2, 5), 9, "threads", 5, _ => new double[lat.Volume], threads);
            e.Run(20);
            return e.Chains.SelectMany(c => c.Positions.ToArray()).ToArray();
        }
        Assert.Equal(Run(1), Run(4));
    }
}
