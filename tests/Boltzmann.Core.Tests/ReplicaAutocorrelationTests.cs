using Boltzmann.Statistics;

namespace Boltzmann.Core.Tests;

public class ReplicaAutocorrelationTests
{
    [Fact]
    public void Ar1ReplicasGiveTheExactTau()
    {
        const double r = 0.8;
        var replicas = Enumerable.Range(0, 8).Select(i => Ar1.Series(r, 20_000, 900 + (ulong)i)).ToArray();
        var e = ReplicaAutocorrelation.Estimate(replicas);
        double exact = Ar1.ExactTau(r);
        Assert.True(Math.Abs(e.TauInt - exact) < 4 * e.TauIntError, $"tau {e.TauInt} ± {e.TauIntError} vs exact {exact}");
        Assert.True(Math.Abs(e.Mean) < 4 * e.StdError, $"mean {e.Mean} ± {e.StdError} vs 0");
    }

    [Fact]
    public void FrozenReplicasAreNotIndependentSamples()
    {
        // Four chains stuck at different values (frozen sectors): per-chain analyses would report tau = 1/2.
        var replicas = new[] { -1.0, 0.0, 1.0, 2.0 }.Select(q => Enumerable.Repeat(q, 500).ToArray()).ToArray();
        var e = ReplicaAutocorrelation.Estimate(replicas);
        Assert.True(e.TauInt > 100, $"tau {e.TauInt}");
        Assert.Equal(0.5, IntegratedAutocorrelation.Estimate(replicas[0]).TauInt);
    }
}
