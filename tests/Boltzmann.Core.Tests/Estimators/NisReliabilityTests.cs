using Boltzmann.Estimators;
using Xunit.Abstractions;

namespace Boltzmann.Core.Tests.Estimators;

/// <summary>
/// <see cref="NisReliability"/> against Gaussian cases with exact ln Z: with bounded weights the batch error agrees
/// with the delta-method error and ESS·N passes the threshold; with heavy-tailed weights (q narrower than p by more
/// than 1/sqrt 2, infinite weight variance) the delta-method error understates the spread, the diagnostics flag
/// the estimate and the conservative error covers the exact value.
/// </summary>
public class NisReliabilityTests(ITestOutputHelper output)
{
    [Fact]
    public void Bounded_weights_give_a_batch_error_close_to_the_delta_method_error()
    {
        var g = new GaussianCase([0.1, -0.2, 0.0, 0.3], [1.3, 1.1, 1.2, 1.0], [0.0, 0.0, 0.2, 0.2], [1.0, 0.9, 1.0, 1.1], -3);
        var s = g.SampleQ(40_000, seed: 11);
        var d = NisReliability.Evaluate(s.LogTarget, s.LogQ);
        output.WriteLine($"{d}; exact {g.ExactLnZ}");
        Assert.True(d.Reliable);
        Assert.InRange(d.BatchError / d.Full.StdError, 0.5, 2.0);
        Assert.True(Math.Abs(d.Deviation(g.ExactLnZ)) < 4);
        Assert.True(d.ConservativeError >= d.Full.StdError);
        Assert.Equal(d.Full.EssFraction * 40_000, d.EffectiveSamples, 6);
    }

    [Fact]
    public void Heavy_tailed_weights_are_flagged_and_the_conservative_error_covers_the_exact_value()
    {
        // 8 dimensions, sQ = 0.62 sP: 2 sQ^2 < sP^2, so Var(w) is infinite and ESS·N stays small.
        var g = new GaussianCase(new double[8], Enumerable.Repeat(0.62, 8).ToArray(), new double[8], Enumerable.Repeat(1.0, 8).ToArray(), 0);
        int covered = 0, coveredByDelta = 0, flagged = 0, runs = 20;
        for (int seed = 0; seed < runs; seed++)
        {
            var s = g.SampleQ(5_000, seed: (ulong)(100 + seed));
            var d = NisReliability.Evaluate(s.LogTarget, s.LogQ);
            if (Math.Abs(d.Deviation(g.ExactLnZ)) < 4) covered++;
            if (Math.Abs(d.Full.Deviation(g.ExactLnZ)) < 4) coveredByDelta++;
            if (!d.Reliable) flagged++;
            Assert.True(d.ConservativeError >= d.Full.StdError);
            if (seed < 3) output.WriteLine($"{d}; exact {g.ExactLnZ}");
        }
        output.WriteLine($"covered within 4 sigma: conservative {covered}/{runs}, delta method {coveredByDelta}/{runs}; flagged {flagged}/{runs}");
        Assert.True(flagged >= runs / 2, $"only {flagged}/{runs} heavy-tailed runs flagged");
        Assert.True(covered >= runs - 2, $"conservative error covers only {covered}/{runs}");
    }
}
